import Wire

/// Messages: Anthropic turns and content blocks to Responses `input` items.
extension OpenAIResponsesRequestBuilder {
    mutating func convertInput() throws(APIError) -> [JSONValue] {
        var items: [JSONValue] = []
        // A function_call_output must answer a function_call in the input.
        var callIDs: Set<String> = []
        for (index, message) in (request["messages"]?.arrayValue ?? []).enumerated() {
            let path = "/messages/\(index)"
            let content = message["content"] ?? ""
            switch message["role"]?.stringValue {
            case "system":
                continue  // in instructions
            case "assistant":
                items += try assistantItems(content, path: path, callIDs: &callIDs)
            default:
                items += try userItems(content, path: path, callIDs: callIDs)
            }
        }
        return items
    }

    // MARK: Assistant

    /// Text, reasoning and calls in their order; neighbouring texts joined.
    private mutating func assistantItems(
        _ content: JSONValue, path: String, callIDs: inout Set<String>
    ) throws(APIError) -> [JSONValue] {
        if let text = content.stringValue {
            return text.isEmpty ? [] : [["role": "assistant", "content": .string(text)]]
        }
        var items: [JSONValue] = []
        var texts: [String] = []
        func flushText() {
            guard !texts.isEmpty else { return }
            items.append(["role": "assistant", "content": .string(texts.joined(separator: "\n\n"))])
            texts = []
        }
        for (index, block) in (content.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/content/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            switch block["type"]?.stringValue {
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty { texts.append(text) }
            case "tool_use":
                flushText()
                let id = block["id"]?.stringValue ?? ""
                callIDs.insert(id)
                items.append([
                    "type": "function_call",
                    "call_id": .string(
                        UpstreamToolCallID.fitted(id, maximumLength: UpstreamToolCallID.responsesMaximumLength)),
                    "name": block["name"] ?? "",
                    "arguments": .string((block["input"] ?? [:]).serializedString()),
                ])
            case "thinking":
                guard
                    let encrypted = OpenAIResponsesReasoningSignature.encryptedContent(
                        fromSignature: block["signature"]?.stringValue ?? "")
                else {
                    diagnostics.append(
                        .info(blockPath, "thinking from another provider is not sent to OpenAI Responses; dropped"))
                    continue
                }
                flushText()
                let text = block["thinking"]?.stringValue ?? ""
                let summary: JSONValue = text.isEmpty ? [] : [["type": "summary_text", "text": .string(text)]]
                items.append(["type": "reasoning", "summary": summary, "encrypted_content": .string(encrypted)])
            case "redacted_thinking":
                diagnostics.append(.info(blockPath, "redacted thinking is Anthropic's own; dropped"))
            default:
                try reportUnsupportedBlock(block, path: blockPath)
            }
        }
        flushText()
        return items
    }

    // MARK: User

    /// A user turn: its `function_call_output`s first, right after the calls
    /// they answer, then one user message with the rest.
    private mutating func userItems(
        _ content: JSONValue, path: String, callIDs: Set<String>
    ) throws(APIError) -> [JSONValue] {
        if let text = content.stringValue { return text.isEmpty ? [] : [["role": "user", "content": .string(text)]] }
        var outputs: [JSONValue] = []
        var parts: [JSONValue] = []
        for (index, block) in (content.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/content/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            switch block["type"]?.stringValue {
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty {
                    parts.append(["type": "input_text", "text": .string(text)])
                }
            case "image", "document":
                if let part = inputPart(block, path: blockPath) { parts.append(part) }
            case "tool_result":
                // Responses has no error flag on a function_call_output, so `is_error` is marked in the text.
                let (text, media) = try toolResultContent(
                    block, path: blockPath, markingErrors: true, mediaTypes: ["image", "document"]
                ) { builder, part, partPath in builder.inputPart(part, path: partPath) }
                let id = block["tool_use_id"]?.stringValue ?? ""
                // Fitted as its call's id was, so the two still pair.
                let upstreamID = UpstreamToolCallID.fitted(id, maximumLength: UpstreamToolCallID.responsesMaximumLength)
                if callIDs.contains(id) {
                    outputs.append(
                        ["type": "function_call_output", "call_id": .string(upstreamID), "output": .string(text)])
                } else {
                    let standIn = unmatchedToolResultText(
                        id: id, text: text, path: blockPath, unanswered: "no earlier tool_use")
                    parts.append(["type": "input_text", "text": .string(standIn)])
                }
                if !media.isEmpty {
                    parts.append(["type": "input_text", "text": .string("Returned by tool call \(upstreamID):")])
                    parts += media
                }
            default:
                try reportUnsupportedBlock(block, path: blockPath)
            }
        }
        guard !parts.isEmpty else { return outputs }
        return outputs + [["role": "user", "content": .array(parts)]]
    }

    /// Images -> `input_image` (data URL or URL); PDFs -> `input_file`;
    /// plain-text documents -> `input_text`.
    private mutating func inputPart(_ block: JSONValue, path: String) -> JSONValue? {
        let source = block["source"]
        let isImage = block["type"]?.stringValue == "image"
        switch source?["type"]?.stringValue {
        case "base64":
            if !isImage, let file = InlineDocumentFile(block) {
                return ["type": "input_file", "filename": .string(file.filename), "file_data": .string(file.dataURL)]
            }
            let mediaType = source?["media_type"]?.stringValue ?? "image/png"
            let url = "data:\(mediaType);base64,\(source?["data"]?.stringValue ?? "")"
            return ["type": "input_image", "image_url": .string(url)]
        case "url":
            guard let url = source?["url"]?.stringValue else { break }
            if isImage { return ["type": "input_image", "image_url": .string(url)] }
            return ["type": "input_file", "file_url": .string(url)]
        case "text":
            if let text = source?["data"]?.stringValue { return ["type": "input_text", "text": .string(text)] }
        default:
            break
        }
        diagnostics.append(
            .warning(
                "\(path)/source",
                "source \(source?["type"]?.stringValue ?? "?") cannot be sent to OpenAI Responses; dropped"))
        return nil
    }
}
