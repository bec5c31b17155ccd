import Wire

/// Messages: Anthropic turns and content blocks to Gemini `contents`.
extension GeminiRequestBuilder {
    /// Builds `contents`: roles `user` and `model`, consecutive turns of one
    /// role merged (Gemini wants them alternating), and turns left with no
    /// parts left out.
    mutating func convertContents() throws(APIError) -> [JSONValue] {
        var contents: [(role: String, parts: [JSONValue])] = []
        // functionResponse needs the function's name; Anthropic's tool_result
        // only has the tool_use id, so names are remembered as calls go by.
        var toolNames: [String: String] = [:]
        for (index, message) in (request["messages"]?.arrayValue ?? []).enumerated() {
            let path = "/messages/\(index)"
            let content = message["content"] ?? ""
            let role: String
            let parts: [JSONValue]
            switch message["role"]?.stringValue {
            case "system":
                continue  // in systemInstruction
            case "assistant":
                role = "model"
                parts = try modelParts(content, path: path, toolNames: &toolNames)
            default:
                role = "user"
                parts = try userParts(content, path: path, toolNames: toolNames)
            }
            if parts.isEmpty {
                diagnostics.append(.info(path, "turn with nothing Gemini can take; left out"))
            } else if contents.last?.role == role {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append((role, parts))
            }
        }
        return contents.map { ["role": .string($0.role), "parts": .array($0.parts)] }
    }

    // MARK: Model

    private mutating func modelParts(
        _ content: JSONValue, path: String, toolNames: inout [String: String]
    ) throws(APIError) -> [JSONValue] {
        if let text = content.stringValue { return text.isEmpty ? [] : [["text": .string(text)]] }
        var parts: [JSONObject] = []
        // A text-less thinking block's signature belongs to the part next to
        // it: the one before, else the one after.
        var looseSignature: String?
        func append(_ part: JSONObject) {
            var part = part
            if part["thoughtSignature"] == nil, let signature = looseSignature {
                part["thoughtSignature"] = .string(signature)
                looseSignature = nil
            }
            parts.append(part)
        }
        for (index, block) in (content.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/content/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            switch block["type"]?.stringValue {
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty { append(["text": .string(text)]) }
            case "tool_use":
                let id = block["id"]?.stringValue ?? ""
                let name = block["name"]?.stringValue ?? ""
                toolNames[id] = name
                var part: JSONObject = ["functionCall": ["name": .string(name), "args": block["input"] ?? [:]]]
                if let signature = GeminiThoughtSignature.signature(fromToolUseID: id) {
                    part["thoughtSignature"] = .string(signature)
                }
                append(part)
            case "thinking":
                let text = block["thinking"]?.stringValue ?? ""
                guard
                    let signature = GeminiThoughtSignature.signature(
                        fromThinking: block["signature"]?.stringValue ?? "")
                else {
                    diagnostics.append(
                        .info(blockPath, "thinking from another provider is not sent to Gemini; dropped"))
                    continue
                }
                if !text.isEmpty {
                    append(["text": .string(text), "thought": true, "thoughtSignature": .string(signature)])
                } else if let last = parts.indices.last, parts[last]["thoughtSignature"] == nil {
                    parts[last]["thoughtSignature"] = .string(signature)
                } else {
                    looseSignature = signature
                }
            case "redacted_thinking":
                diagnostics.append(.info(blockPath, "redacted thinking is Anthropic's own; dropped"))
            default:
                try reportUnsupportedBlock(block, path: blockPath)
            }
        }
        if looseSignature != nil {
            diagnostics.append(.debug(path, "a thought signature with no part to carry it; dropped"))
        }
        addSignatureToFirstCall(&parts, path: path)
        return parts.map(JSONValue.object)
    }

    /// Gemini 3 rejects a turn whose first function call has no signature.
    /// Calls made by another model (or whose id lost it) get Google's
    /// documented placeholder instead.
    private mutating func addSignatureToFirstCall(_ parts: inout [JSONObject], path: String) {
        guard let first = parts.firstIndex(where: { $0["functionCall"] != nil }),
            parts[first]["thoughtSignature"] == nil
        else { return }
        parts[first]["thoughtSignature"] = .string(GeminiThoughtSignature.validatorBypass)
        diagnostics.append(
            .info(path, "function call without a Gemini thought signature; sent with Google's placeholder signature"))
    }

    // MARK: User

    /// A user turn: its function responses first (Gemini matches them to the
    /// previous turn's calls), then the other parts in order.
    private mutating func userParts(
        _ content: JSONValue, path: String, toolNames: [String: String]
    ) throws(APIError) -> [JSONValue] {
        if let text = content.stringValue { return text.isEmpty ? [] : [["text": .string(text)]] }
        var responses: [JSONValue] = []
        var parts: [JSONValue] = []
        for (index, block) in (content.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/content/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            switch block["type"]?.stringValue {
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty { parts.append(["text": .string(text)]) }
            case "image", "document":
                if let part = mediaPart(block, path: blockPath) { parts.append(part) }
            case "tool_result":
                // Gemini flags errors itself, by the `error` key of the functionResponse.
                let (text, media) = try toolResultContent(
                    block, path: blockPath, markingErrors: false, mediaTypes: ["image", "document"]
                ) { builder, part, partPath in builder.mediaPart(part, path: partPath) }
                let id = block["tool_use_id"]?.stringValue ?? ""
                if let name = toolNames[id] {
                    let key = block["is_error"]?.boolValue == true ? "error" : "output"
                    responses.append(["functionResponse": ["name": .string(name), "response": [key: .string(text)]]])
                } else {
                    let standIn = unmatchedToolResultText(
                        id: id, text: text, path: blockPath, unanswered: "no earlier tool_use")
                    parts.append(["text": .string(standIn)])
                }
                parts += media
            default:
                try reportUnsupportedBlock(block, path: blockPath)
            }
        }
        return responses + parts
    }

    /// Images and documents: base64 -> `inlineData`, URL -> `fileData`,
    /// plain-text documents -> text.
    private mutating func mediaPart(_ block: JSONValue, path: String) -> JSONValue? {
        let source = block["source"]
        switch source?["type"]?.stringValue {
        case "base64":
            let mimeType = source?["media_type"]?.stringValue ?? "application/octet-stream"
            return ["inlineData": ["mimeType": .string(mimeType), "data": source?["data"] ?? ""]]
        case "url":
            guard let url = source?["url"]?.stringValue else { break }
            var fileData: JSONObject = [:]
            if let mimeType = Self.mimeType(forURL: url) { fileData["mimeType"] = .string(mimeType) }
            fileData["fileUri"] = .string(url)
            return ["fileData": .object(fileData)]
        case "text":
            if let text = source?["data"]?.stringValue { return ["text": .string(text)] }
        default:
            break
        }
        diagnostics.append(
            .warning(
                "\(path)/source", "source \(source?["type"]?.stringValue ?? "?") cannot be sent to Gemini; dropped"))
        return nil
    }

    static func mimeType(forURL url: String) -> String? {
        let path = url.split(separator: "?").first.map(String.init)?.lowercased() ?? ""
        let types = [
            ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
            ".webp": "image/webp", ".pdf": "application/pdf",
        ]
        return types.first { path.hasSuffix($0.key) }?.value
    }
}
