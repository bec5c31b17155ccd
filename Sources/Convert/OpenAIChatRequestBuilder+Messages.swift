import Wire

/// Messages: Anthropic's turns and content blocks to OpenAI's role messages.
extension OpenAIChatRequestBuilder {
    /// A piece of a user message's content.
    enum UserPart {
        case text(String)
        case imageURL(String)
        /// A PDF, inline: Chat takes a file so or as a `file_id` in OpenAI's
        /// own storage, never by URL.
        case file(InlineDocumentFile)
    }

    mutating func convertMessages() throws(APIError) -> [JSONValue] {
        var systemTexts: [String] = []
        if let system = request["system"] {
            systemTexts += try texts(ofSystem: system, path: "/system")
        }
        var converted: [JSONValue] = []
        // Tool calls of the latest assistant turn not yet answered: a
        // tool_result for any other id would be rejected by OpenAI.
        var openToolCallIDs: [String] = []
        for (index, message) in (request["messages"]?.arrayValue ?? []).enumerated() {
            let path = "/messages/\(index)"
            let content = message["content"] ?? ""
            switch message["role"]?.stringValue {
            case "system":
                systemTexts += try texts(ofSystem: content, path: "\(path)/content")
                diagnostics.append(.info(path, "system-role message moved into the leading system message"))
            case "assistant":
                let (assistant, toolCallIDs) = try assistantMessage(content, path: path)
                if let assistant { converted.append(assistant) }
                openToolCallIDs = toolCallIDs
            default:
                converted += try userMessages(content, path: path, openToolCallIDs: &openToolCallIDs)
            }
        }
        if !systemTexts.isEmpty {
            converted.insert(["role": "system", "content": .string(systemTexts.joined(separator: "\n\n"))], at: 0)
        }
        return converted
    }

    // MARK: Assistant

    private mutating func assistantMessage(
        _ content: JSONValue, path: String
    ) throws(APIError) -> (JSONValue?, [String]) {
        if let text = content.stringValue {
            var message: JSONObject = ["role": "assistant", "content": .string(text)]
            if route.chatReasoningContent == true { message["reasoning_content"] = "" }
            return (.object(message), [])
        }
        var texts: [String] = []
        var thinking: [String] = []
        var toolCalls: [JSONValue] = []
        var toolCallIDs: [String] = []
        for (index, block) in (content.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/content/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            switch block["type"]?.stringValue {
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty { texts.append(text) }
            case "tool_use":
                let id = block["id"]?.stringValue ?? ""
                let arguments = (block["input"] ?? [:]).serializedString()
                toolCalls.append([
                    "id": .string(UpstreamToolCallID.chatFitted(id, route: route)),
                    "type": "function",
                    "function": ["name": block["name"] ?? "", "arguments": .string(arguments)],
                ])
                toolCallIDs.append(id)
            case "thinking" where route.chatReasoningContent == true:
                // Whoever signed it (another provider's signature too), the
                // text is the model's reasoning, all DeepSeek and Kimi read.
                // Text the client was not shown comes back in the signature (``HiddenThinking``).
                let text = block["thinking"]?.stringValue ?? ""
                if !text.isEmpty {
                    thinking.append(text)
                } else if let hidden = block["signature"]?.stringValue.flatMap(HiddenThinking.text(fromSignature:)) {
                    thinking.append(hidden)
                }
            case "thinking", "redacted_thinking":
                diagnostics.append(
                    .info(blockPath, "thinking from an earlier turn is not sent to an OpenAI upstream; dropped"))
            default:
                try reportUnsupportedBlock(block, path: blockPath)
            }
        }
        if texts.isEmpty && toolCalls.isEmpty {
            diagnostics.append(.info(path, "assistant turn with nothing OpenAI can take; left out"))
            return (nil, [])
        }
        var message: JSONObject = ["role": "assistant"]
        message["content"] = texts.isEmpty ? .null : .string(texts.joined(separator: "\n\n"))
        if !toolCalls.isEmpty { message["tool_calls"] = .array(toolCalls) }
        // DeepSeek in thinking mode refuses a tool loop's assistant message
        // without the member (400 "Missing `reasoning_content` field"), even
        // one that had no thinking to send: there, an empty string, which it
        // takes. Every assistant message gets it, as knowing which ones are
        // in a tool loop would not pay: elsewhere it is ignored.
        if route.chatReasoningContent == true {
            message["reasoning_content"] = .string(thinking.joined(separator: "\n\n"))
        }
        return (.object(message), toolCallIDs)
    }

    // MARK: User

    /// A user turn becomes its `tool` messages first (OpenAI wants them right
    /// after the assistant's tool calls), then one user message with the rest.
    private mutating func userMessages(
        _ content: JSONValue, path: String, openToolCallIDs: inout [String]
    ) throws(APIError) -> [JSONValue] {
        if let text = content.stringValue {
            openToolCallIDs = []
            return [["role": "user", "content": .string(text)]]
        }
        var toolMessages: [JSONValue] = []
        var parts: [UserPart] = []
        for (index, block) in (content.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/content/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            switch block["type"]?.stringValue {
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty { parts.append(.text(text)) }
            case "image", "document":
                if let part = mediaPart(block, path: blockPath) { parts.append(part) }
            case "tool_result":
                // OpenAI's tool message has no error flag, so `is_error` is marked in the text.
                let (text, media) = try toolResultContent(
                    block, path: blockPath, markingErrors: true, mediaTypes: ["image", "document"]
                ) { builder, part, partPath in builder.mediaPart(part, path: partPath) }
                let id = block["tool_use_id"]?.stringValue ?? ""
                // Fitted as its call's id was, so the two still pair.
                let upstreamID = UpstreamToolCallID.chatFitted(id, route: route)
                if let open = openToolCallIDs.firstIndex(of: id) {
                    openToolCallIDs.remove(at: open)
                    toolMessages.append(
                        ["role": "tool", "tool_call_id": .string(upstreamID), "content": .string(text)])
                } else {
                    let standIn = unmatchedToolResultText(
                        id: id, text: text, path: blockPath, unanswered: "no tool call of the previous turn")
                    parts.append(.text(standIn))
                }
                // A tool message takes only text: its images and documents
                // follow in the user message, where the model still sees them
                // next to the result they belong to.
                if !media.isEmpty {
                    diagnostics.append(
                        .info(
                            blockPath,
                            "images and documents in a tool result go in the user message after the tool messages"))
                    parts.append(.text("Returned by tool call \(upstreamID):"))
                    parts += media
                }
            default:
                try reportUnsupportedBlock(block, path: blockPath)
            }
        }
        openToolCallIDs = []
        guard !parts.isEmpty else { return toolMessages }
        return toolMessages + [["role": "user", "content": Self.userContent(parts)]]
    }

    /// A plain string when every part is text (the form every provider
    /// accepts), else OpenAI's array of content parts.
    static func userContent(_ parts: [UserPart]) -> JSONValue {
        var texts: [String] = []
        for part in parts {
            guard case .text(let text) = part else {
                return .array(
                    parts.map { part in
                        switch part {
                        case .text(let text): ["type": "text", "text": .string(text)]
                        case .imageURL(let url): ["type": "image_url", "image_url": ["url": .string(url)]]
                        case .file(let file):
                            [
                                "type": "file",
                                "file": ["filename": .string(file.filename), "file_data": .string(file.dataURL)],
                            ]
                        }
                    })
            }
            texts.append(text)
        }
        return .string(texts.joined(separator: "\n\n"))
    }

    /// An image or a document as a part of a user message, nil (with a
    /// warning) when Chat cannot take it.
    private mutating func mediaPart(_ block: JSONValue, path: String) -> UserPart? {
        guard block["type"]?.stringValue == "document" else {
            return imageURL(block, path: path).map(UserPart.imageURL)
        }
        let source = block["source"]
        switch source?["type"]?.stringValue {
        case "base64":
            if let file = InlineDocumentFile(block) { return .file(file) }
        case "text":
            if let text = source?["data"]?.stringValue { return .text(text) }
        case "url":
            diagnostics.append(
                .warning(
                    "\(path)/source",
                    "a document URL cannot be sent to OpenAI Chat Completions, whose file parts take only inline "
                        + "data; dropped. Send the PDF as a base64 source, or use a route of format "
                        + "openai-responses, gemini or anthropic, which fetch URLs"))
            return nil
        default:
            break
        }
        reportDroppedBlock(type: "document", path: path)
        return nil
    }

    /// `data:` URL for base64 sources, the URL itself for url sources.
    private mutating func imageURL(_ block: JSONValue, path: String) -> String? {
        let source = block["source"]
        switch source?["type"]?.stringValue {
        case "base64":
            let mediaType = source?["media_type"]?.stringValue ?? "image/png"
            return "data:\(mediaType);base64,\(source?["data"]?.stringValue ?? "")"
        case "url":
            if let url = source?["url"]?.stringValue { return url }
        default:
            break
        }
        diagnostics.append(
            .warning("\(path)/source", "image source \(source?["type"]?.stringValue ?? "?") cannot be sent; dropped"))
        return nil
    }
}
