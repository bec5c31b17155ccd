import Wire

/// Messages: Anthropic's turns and content blocks to OpenAI's role messages.
extension OpenAIChatRequestBuilder {
    /// A piece of a user message's content.
    enum UserPart {
        case text(String)
        case imageURL(String)
    }

    mutating func convertMessages() -> [JSONValue] {
        var systemTexts: [String] = []
        if let system = request["system"] {
            systemTexts += texts(ofSystem: system, path: "/system")
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
                systemTexts += texts(ofSystem: content, path: "\(path)/content")
                diagnostics.append(.info(path, "system-role message moved into the leading system message"))
            case "assistant":
                let (assistant, toolCallIDs) = assistantMessage(content, path: path)
                if let assistant { converted.append(assistant) }
                openToolCallIDs = toolCallIDs
            default:
                converted += userMessages(content, path: path, openToolCallIDs: &openToolCallIDs)
            }
        }
        if !systemTexts.isEmpty {
            converted.insert(["role": "system", "content": .string(systemTexts.joined(separator: "\n\n"))], at: 0)
        }
        return converted
    }

    // MARK: Assistant

    private mutating func assistantMessage(_ content: JSONValue, path: String) -> (JSONValue?, [String]) {
        if let text = content.stringValue {
            return (["role": "assistant", "content": .string(text)], [])
        }
        var texts: [String] = []
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
                    "id": .string(id), "type": "function",
                    "function": ["name": block["name"] ?? "", "arguments": .string(arguments)],
                ])
                toolCallIDs.append(id)
            case "thinking", "redacted_thinking":
                diagnostics.append(
                    .info(blockPath, "thinking from an earlier turn is not sent to an OpenAI upstream; dropped"))
            default:
                reportUnsupportedBlock(block, path: blockPath)
            }
        }
        if texts.isEmpty && toolCalls.isEmpty {
            diagnostics.append(.info(path, "assistant turn with nothing OpenAI can take; left out"))
            return (nil, [])
        }
        var message: JSONObject = ["role": "assistant"]
        message["content"] = texts.isEmpty ? .null : .string(texts.joined(separator: "\n\n"))
        if !toolCalls.isEmpty { message["tool_calls"] = .array(toolCalls) }
        return (.object(message), toolCallIDs)
    }

    // MARK: User

    /// A user turn becomes its `tool` messages first (OpenAI wants them right
    /// after the assistant's tool calls), then one user message with the rest.
    private mutating func userMessages(
        _ content: JSONValue, path: String, openToolCallIDs: inout [String]
    ) -> [JSONValue] {
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
            case "image":
                if let url = imageURL(block, path: blockPath) { parts.append(.imageURL(url)) }
            case "tool_result":
                // OpenAI's tool message has no error flag, so `is_error` is marked in the text.
                let (text, images) = toolResultContent(
                    block, path: blockPath, markingErrors: true, mediaTypes: ["image"]
                ) { builder, part, partPath in builder.imageURL(part, path: partPath) }
                let id = block["tool_use_id"]?.stringValue ?? ""
                if let open = openToolCallIDs.firstIndex(of: id) {
                    openToolCallIDs.remove(at: open)
                    toolMessages.append(["role": "tool", "tool_call_id": .string(id), "content": .string(text)])
                } else {
                    let standIn = unmatchedToolResultText(
                        id: id, text: text, path: blockPath, unanswered: "no tool call of the previous turn")
                    parts.append(.text(standIn))
                }
                if !images.isEmpty {
                    diagnostics.append(
                        .info(blockPath, "images in a tool result go in the user message after the tool messages"))
                    parts.append(.text("Images returned by tool call \(id):"))
                    parts += images.map { .imageURL($0) }
                }
            case "document":
                if block["source"]?["type"]?.stringValue == "text", let text = block["source"]?["data"]?.stringValue {
                    parts.append(.text(text))
                } else {
                    reportUnsupportedBlock(block, path: blockPath)
                }
            default:
                reportUnsupportedBlock(block, path: blockPath)
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
                        }
                    })
            }
            texts.append(text)
        }
        return .string(texts.joined(separator: "\n\n"))
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
