import SSE
import Wire

/// Output items: opening one per block, streaming into it, closing it.
extension OpenAIResponsesStreamEncoder {
    mutating func openItem(_ block: ContentBlock, index: Int, into frames: inout [SSEEvent]) {
        let outputIndex = addedItems
        func itemID(_ prefix: String) -> String {
            OpenAIResponsesClientItems.itemID(prefix: prefix, messageID: messageID, outputIndex: outputIndex)
        }
        switch block {
        case .text(let text):
            let item = OpenItem(kind: .message, id: itemID("msg"), outputIndex: outputIndex, blockIndex: index)
            added(item, OpenAIResponsesClientItems.messageItem(id: item.id, text: nil, status: "in_progress"), &frames)
            emit(
                "response.content_part.added",
                [
                    "item_id": .string(item.id), "output_index": .int(Int64(outputIndex)), "content_index": 0,
                    "part": OpenAIResponsesClientItems.outputTextPart(""),
                ], into: &frames)
            receive(.text(text), into: &frames)
        case .thinking(let thinking, let signature):
            var item = OpenItem(kind: .reasoning, id: itemID("rs"), outputIndex: outputIndex, blockIndex: index)
            item.signature = signature.isEmpty ? nil : signature
            added(item, OpenAIResponsesClientItems.reasoningItem(id: item.id, text: "", signature: nil), &frames)
            receive(.thinking(thinking), into: &frames)
        case .toolUse(let callID, let name, let input):
            let item = OpenItem(
                kind: .functionCall(callID: callID, name: name), id: itemID("fc"), outputIndex: outputIndex,
                blockIndex: index)
            let json = OpenAIResponsesClientItems.functionCallItem(
                id: item.id, callID: callID, name: name, arguments: "", status: "in_progress")
            added(item, json, &frames)
            // Anthropic starts a call with `{}`; a block that opens with its input already given streams it as one delta.
            if input.objectValue?.isEmpty == false { receive(.inputJSON(input.serializedString()), into: &frames) }
        case .redactedThinking, .serverToolUse, .unknown:
            break
        }
    }

    private mutating func added(_ item: OpenItem, _ json: JSONValue, _ frames: inout [SSEEvent]) {
        open = item
        addedItems += 1
        emit(
            "response.output_item.added", ["output_index": .int(Int64(item.outputIndex)), "item": json], into: &frames)
    }

    /// A delta that fits the open item; others (a citation) write nothing.
    mutating func receive(_ delta: BlockDelta, into frames: inout [SSEEvent]) {
        guard var item = open else { return }
        let location: JSONObject = ["item_id": .string(item.id), "output_index": .int(Int64(item.outputIndex))]
        switch (item.kind, delta) {
        case (.message, .text(let text)) where !text.isEmpty:
            item.text += text
            emit("response.output_text.delta", location + ["content_index": 0, "delta": .string(text)], into: &frames)
        case (.reasoning, .thinking(let text)) where !text.isEmpty:
            if !item.summaryOpen {
                item.summaryOpen = true
                emit(
                    "response.reasoning_summary_part.added",
                    location + ["summary_index": 0, "part": OpenAIResponsesClientItems.summaryPart("")], into: &frames)
            }
            item.text += text
            emit(
                "response.reasoning_summary_text.delta", location + ["summary_index": 0, "delta": .string(text)],
                into: &frames)
        case (.reasoning, .signature(let signature)):
            item.signature = signature
        case (.functionCall, .inputJSON(let fragment)) where !fragment.isEmpty:
            item.text += fragment
            emit("response.function_call_arguments.delta", location + ["delta": .string(fragment)], into: &frames)
        default:
            break
        }
        open = item
    }

    /// Finishes the open item, if any, and adds it to the response's output.
    mutating func closeItem(into frames: inout [SSEEvent]) {
        guard var item = open else { return }
        let location: JSONObject = ["item_id": .string(item.id), "output_index": .int(Int64(item.outputIndex))]
        let done: JSONValue
        switch item.kind {
        case .message:
            let part = OpenAIResponsesClientItems.outputTextPart(item.text)
            emit(
                "response.output_text.done", location + ["content_index": 0, "text": .string(item.text)], into: &frames)
            emit("response.content_part.done", location + ["content_index": 0, "part": part], into: &frames)
            done = OpenAIResponsesClientItems.messageItem(id: item.id, text: item.text, status: "completed")
        case .reasoning:
            if item.summaryOpen {
                let text = JSONValue.string(item.text)
                emit(
                    "response.reasoning_summary_text.done", location + ["summary_index": 0, "text": text], into: &frames
                )
                emit(
                    "response.reasoning_summary_part.done",
                    location + ["summary_index": 0, "part": OpenAIResponsesClientItems.summaryPart(item.text)],
                    into: &frames)
            }
            done = OpenAIResponsesClientItems.reasoningItem(id: item.id, text: item.text, signature: item.signature)
        case .functionCall(let callID, let name):
            // A call with no arguments still has to give the client JSON to parse.
            if item.text.isEmpty {
                item.text = "{}"
                emit("response.function_call_arguments.delta", location + ["delta": "{}"], into: &frames)
            }
            emit("response.function_call_arguments.done", location + ["arguments": .string(item.text)], into: &frames)
            done = OpenAIResponsesClientItems.functionCallItem(
                id: item.id, callID: callID, name: name, arguments: item.text, status: "completed")
        }
        emit("response.output_item.done", ["output_index": .int(Int64(item.outputIndex)), "item": done], into: &frames)
        output.append(done)
        open = nil
    }
}

extension JSONObject {
    /// `lhs`'s members, then `rhs`'s: event fields in OpenAI's order.
    fileprivate static func + (lhs: JSONObject, rhs: JSONObject) -> JSONObject {
        var result = lhs
        for member in rhs { result.append(key: member.key, value: member.value) }
        return result
    }
}
