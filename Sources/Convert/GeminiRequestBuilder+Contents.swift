import Wire

/// Messages: Anthropic turns and content blocks to Gemini `contents`.
extension GeminiRequestBuilder {
    /// One Gemini turn as it is built: its parts, and, kept apart until the
    /// turn is whole, its function responses with the `tool_use` ids they
    /// answer, or the ids of its calls.
    private struct Turn {
        var role: String
        var parts: [JSONValue] = []
        var responses: [(toolUseID: String, part: JSONValue)] = []
        var callIDs: [String] = []

        /// The function responses first, then the other parts. Gemini pairs
        /// responses with the previous turn's calls by position (and by `id`
        /// only when it gave one), so they go in the order of `calls`, the
        /// `tool_use` ids of the calls before; any other after, in the
        /// client's order. In the client's order, the answer to a second
        /// call of one function, sent first, was taken for the first's.
        func parts(answering calls: [String]) -> [JSONValue] {
            var position: [String: Int] = [:]
            for (index, id) in calls.enumerated() where position[id] == nil { position[id] = index }
            let ordered = responses.enumerated().sorted { first, second in
                (position[first.element.toolUseID] ?? calls.count, first.offset)
                    < (position[second.element.toolUseID] ?? calls.count, second.offset)
            }
            return ordered.map(\.element.part) + parts
        }
    }

    /// Builds `contents`: roles `user` and `model`, consecutive turns of one
    /// role merged (Gemini wants them alternating), and turns left with no
    /// parts left out.
    mutating func convertContents() throws(APIError) -> [JSONValue] {
        var turns: [Turn] = []
        // functionResponse needs the function's name; Anthropic's tool_result
        // only has the tool_use id, so names are remembered as calls go by.
        var toolNames: [String: String] = [:]
        for (index, message) in (request["messages"]?.arrayValue ?? []).enumerated() {
            let path = "/messages/\(index)"
            let content = message["content"] ?? ""
            var turn: Turn
            switch message["role"]?.stringValue {
            case "system":
                continue  // in systemInstruction
            case "assistant":
                turn = Turn(role: "model")
                turn.parts = try modelParts(content, path: path, toolNames: &toolNames, callIDs: &turn.callIDs)
            default:
                turn = Turn(role: "user")
                try userParts(content, path: path, toolNames: toolNames, into: &turn)
            }
            if turn.parts.isEmpty && turn.responses.isEmpty {
                diagnostics.append(.info(path, "turn with nothing Gemini can take; left out"))
            } else if let last = turns.indices.last, turns[last].role == turn.role {
                turns[last].parts += turn.parts
                turns[last].responses += turn.responses
                turns[last].callIDs += turn.callIDs
            } else {
                turns.append(turn)
            }
        }
        var contents: [JSONValue] = []
        var calls: [String] = []
        for turn in turns {
            contents.append(["role": .string(turn.role), "parts": .array(turn.parts(answering: calls))])
            calls = turn.callIDs
        }
        return contents
    }

    // MARK: Model

    private mutating func modelParts(
        _ content: JSONValue, path: String, toolNames: inout [String: String], callIDs: inout [String]
    ) throws(APIError) -> [JSONValue] {
        if let text = content.stringValue { return text.isEmpty ? [] : [["text": .string(text)]] }
        var parts: [JSONObject] = []
        // A text-less thinking block's signature belongs to the part next to
        // it: the one before, else the one after (a text part's signature
        // rides in one; see GeminiThoughtSignature). Next to a function
        // call, whose own signature rides in its id, it came in a part of
        // its own, an empty text part, and goes back as one, in its place:
        // Google's docs want a signature back in the part it came in, not
        // merged into another. Moved onto the call before, it made a later
        // parallel call look signed and gave the first the placeholder.
        var looseSignature: String?
        func signaturePart(_ signature: String) -> JSONObject {
            ["text": "", "thoughtSignature": .string(signature)]
        }
        func append(_ part: JSONObject) {
            var part = part
            if let signature = looseSignature {
                if part["functionCall"] != nil {
                    parts.append(signaturePart(signature))
                    looseSignature = nil
                } else if part["thoughtSignature"] == nil {
                    part["thoughtSignature"] = .string(signature)
                    looseSignature = nil
                }
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
                callIDs.append(id)
                var call: JSONObject = ["name": .string(name), "args": block["input"] ?? [:]]
                if let callID = GeminiFunctionCallID.callID(fromToolUseID: id) { call["id"] = .string(callID) }
                var part: JSONObject = ["functionCall": .object(call)]
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
                } else if let last = parts.last, last["functionCall"] != nil {
                    parts.append(signaturePart(signature))
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

    /// A user turn: its function responses go in `turn.responses` (see
    /// ``Turn/parts(answering:)``), the other parts in order in `turn.parts`.
    private mutating func userParts(
        _ content: JSONValue, path: String, toolNames: [String: String], into turn: inout Turn
    ) throws(APIError) {
        if let text = content.stringValue {
            if !text.isEmpty { turn.parts.append(["text": .string(text)]) }
            return
        }
        for (index, block) in (content.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/content/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            switch block["type"]?.stringValue {
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty { turn.parts.append(["text": .string(text)]) }
            case "image", "document":
                if let part = mediaPart(block, path: blockPath) { turn.parts.append(part) }
            case "tool_result":
                // Gemini flags errors itself, by the `error` key of the functionResponse.
                let (text, media) = try toolResultContent(
                    block, path: blockPath, markingErrors: false, mediaTypes: ["image", "document"]
                ) { builder, part, partPath in builder.mediaPart(part, path: partPath) }
                let id = block["tool_use_id"]?.stringValue ?? ""
                if let name = toolNames[id] {
                    let key = block["is_error"]?.boolValue == true ? "error" : "output"
                    var response: JSONObject = ["name": .string(name), "response": [key: .string(text)]]
                    if let callID = GeminiFunctionCallID.callID(fromToolUseID: id) {
                        response["id"] = .string(callID)
                    }
                    turn.responses.append((id, ["functionResponse": .object(response)]))
                } else {
                    let standIn = unmatchedToolResultText(
                        id: id, text: text, path: blockPath, unanswered: "no earlier tool_use")
                    turn.parts.append(["text": .string(standIn)])
                }
                turn.parts += media
            default:
                try reportUnsupportedBlock(block, path: blockPath)
            }
        }
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
