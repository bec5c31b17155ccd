import SSE
import Wire

/// Output items: opening one per block, streaming into it, closing it.
extension OpenAIResponsesStreamEncoder {
    mutating func openItem(_ block: ContentBlock, index: Int, into frames: inout SSEFrames) {
        let outputIndex = addedItems
        func itemID(_ prefix: String) -> String {
            OpenAIResponsesClientItems.itemID(prefix: prefix, messageID: messageID, outputIndex: outputIndex)
        }
        switch block {
        case .text(let text):
            let item = OpenItem(kind: .message, id: itemID("msg"), outputIndex: outputIndex, blockIndex: index)
            var json: [UInt8] = []
            OpenAIResponsesStreamTemplates.openMessage.write(to: &json) { JSONValue.writeString(item.id, to: &$1) }
            added(item, json, &frames)
            emit("response.content_part.added", at: item, #","content_index":0,"part":"#, into: &frames) {
                $0 += Self.emptyTextPart
            }
            receive(.text(text), into: &frames)
        case .thinking(let thinking, let signature):
            var item = OpenItem(kind: .reasoning, id: itemID("rs"), outputIndex: outputIndex, blockIndex: index)
            item.signature = signature.isEmpty ? nil : signature
            added(
                item, OpenAIResponsesClientItems.reasoningItem(id: item.id, text: "", block: nil).serialized(), &frames)
            receive(.thinking(thinking), into: &frames)
        case .redactedThinking(let data):
            // Nothing to show, but the client must have it to send back.
            var item = OpenItem(kind: .reasoning, id: itemID("rs"), outputIndex: outputIndex, blockIndex: index)
            item.redactedData = data
            added(
                item, OpenAIResponsesClientItems.reasoningItem(id: item.id, text: "", block: nil).serialized(), &frames)
        case .toolUse(let callID, let name, let input):
            let item = OpenItem(
                kind: .functionCall(callID: callID, name: name), id: itemID("fc"), outputIndex: outputIndex,
                blockIndex: index)
            let json = OpenAIResponsesClientItems.functionCallItem(
                id: item.id, callID: callID, name: name, arguments: "", status: "in_progress")
            added(item, json.serialized(), &frames)
            // Anthropic starts a call with `{}`; a block that opens with its input already given streams it as one delta.
            if input.objectValue?.isEmpty == false { receive(.inputJSON(input.serializedString()), into: &frames) }
        case .serverToolUse, .unknown:
            break
        }
    }

    /// `output_item.added` with the item's JSON.
    private mutating func added(_ item: OpenItem, _ json: [UInt8], _ frames: inout SSEFrames) {
        open = item
        addedItems += 1
        emit("response.output_item.added", into: &frames) { bytes in
            JSONValue.writeVerbatim(#","output_index":"#, to: &bytes)
            JSONValue.writeInteger(Int64(item.outputIndex), to: &bytes)
            JSONValue.writeVerbatim(#","item":"#, to: &bytes)
            bytes += json
        }
    }

    /// A delta that fits the open item; others (a citation) write nothing.
    mutating func receive(_ delta: BlockDelta, into frames: inout SSEFrames) {
        // Taken, not copied: with a second reference left in `open`, each
        // `item.text +=` copied all the text so far.
        guard var item = open.take() else { return }
        switch (item.kind, delta) {
        case (.message, .text(let text)) where !text.isEmpty:
            item.text += text
            emitText("response.output_text.delta", at: item, #","content_index":0,"delta":"#, text, into: &frames)
        case (.reasoning, .thinking(let text)) where !text.isEmpty:
            if !item.summaryOpen {
                item.summaryOpen = true
                emit("response.reasoning_summary_part.added", at: item, #","summary_index":0,"part":"#, into: &frames) {
                    $0 += Self.emptySummaryPart
                }
            }
            item.text += text
            emitText(
                "response.reasoning_summary_text.delta", at: item, #","summary_index":0,"delta":"#, text,
                into: &frames)
        case (.reasoning, .signature(let signature)):
            item.signature = signature
        case (.functionCall, .inputJSON(let fragment)) where !fragment.isEmpty:
            item.text += fragment
            emitText("response.function_call_arguments.delta", at: item, #","delta":"#, fragment, into: &frames)
        default:
            break
        }
        open = item
    }

    /// Finishes the open item, if any, and adds it to the response's output.
    mutating func closeItem(into frames: inout SSEFrames) {
        guard var item = open.take() else { return }
        // The item's JSON, serialized once: the final response lists the same bytes.
        var doneBytes: [UInt8] = []
        switch item.kind {
        case .message:
            let text = item.text
            emitText("response.output_text.done", at: item, #","content_index":0,"text":"#, text, into: &frames)
            emit(
                "response.content_part.done", at: item, #","content_index":0,"part":"#, reserving: text.utf8.count,
                into: &frames
            ) { bytes in
                OpenAIResponsesStreamTemplates.textPart.write(to: &bytes) { JSONValue.writeString(text, to: &$1) }
            }
            doneBytes.reserveCapacity(item.id.utf8.count + text.utf8.count + 128)
            OpenAIResponsesStreamTemplates.finishedMessage.write(to: &doneBytes) { hole, bytes in
                JSONValue.writeString(hole == 0 ? item.id : text, to: &bytes)
            }
        case .reasoning:
            if item.summaryOpen {
                emitText(
                    "response.reasoning_summary_text.done", at: item, #","summary_index":0,"text":"#, item.text,
                    into: &frames)
                let part = OpenAIResponsesClientItems.summaryPart(item.text)
                emit("response.reasoning_summary_part.done", at: item, #","summary_index":0,"part":"#, into: &frames) {
                    part.write(to: &$0)
                }
            }
            let block =
                item.redactedData.map { ContentBlock.redactedThinking(data: $0) }
                ?? .thinking(thinking: item.text, signature: item.signature ?? "")
            doneBytes = OpenAIResponsesClientItems.reasoningItem(id: item.id, text: item.text, block: block)
                .serialized()
        case .functionCall(let callID, let name):
            // A call with no arguments still has to give the client JSON to parse.
            if item.text.isEmpty {
                item.text = "{}"
                emitText("response.function_call_arguments.delta", at: item, #","delta":"#, "{}", into: &frames)
            }
            emitText(
                "response.function_call_arguments.done", at: item, #","arguments":"#, item.text, into: &frames)
            doneBytes = OpenAIResponsesClientItems.functionCallItem(
                id: item.id, callID: callID, name: name, arguments: item.text, status: "completed"
            ).serialized()
        }
        emit("response.output_item.done", reserving: doneBytes.count, into: &frames) { bytes in
            JSONValue.writeVerbatim(#","output_index":"#, to: &bytes)
            JSONValue.writeInteger(Int64(item.outputIndex), to: &bytes)
            JSONValue.writeVerbatim(#","item":"#, to: &bytes)
            bytes += doneBytes
        }
        output.append(doneBytes)
    }
}

extension OpenAIResponsesStreamEncoder {
    /// The `part` of a text or summary part just added, the same in every stream.
    fileprivate static let emptyTextPart = OpenAIResponsesClientItems.outputTextPart("").serialized()
    fileprivate static let emptySummaryPart = OpenAIResponsesClientItems.summaryPart("").serialized()

    /// An event about `item`: `item_id` and `output_index`, then `label`
    /// (the fields up to the last one's key and colon) and the last field's
    /// value, which `writeValue` writes.
    fileprivate mutating func emit(
        _ type: StaticString, at item: OpenItem, _ label: StaticString, reserving size: Int = 0,
        into frames: inout SSEFrames, value writeValue: (inout [UInt8]) -> Void
    ) {
        emit(type, reserving: item.id.utf8.count + size, into: &frames) { bytes in
            Self.writeLocation(of: item, to: &bytes)
            JSONValue.writeVerbatim(label, to: &bytes)
            writeValue(&bytes)
        }
    }

    /// An event about `item` whose last field is `text`: the delta and
    /// done events, most of a stream, written with no ``JSONObject``.
    /// - Parameter label: the fields between the location and the text,
    ///   from the comma up to the text's key and colon.
    fileprivate mutating func emitText(
        _ type: StaticString, at item: OpenItem, _ label: StaticString, _ text: String, into frames: inout SSEFrames
    ) {
        emit(type, at: item, label, reserving: text.utf8.count, into: &frames) {
            JSONValue.writeString(text, to: &$0)
        }
    }

    /// `,"item_id":…,"output_index":…`.
    private static func writeLocation(of item: OpenItem, to bytes: inout [UInt8]) {
        JSONValue.writeVerbatim(#","item_id":"#, to: &bytes)
        JSONValue.writeString(item.id, to: &bytes)
        JSONValue.writeVerbatim(#","output_index":"#, to: &bytes)
        JSONValue.writeInteger(Int64(item.outputIndex), to: &bytes)
    }
}
