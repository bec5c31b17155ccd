import Wire

/// Contents: Gemini turns and parts to Anthropic messages and content blocks.
extension GeminiClientRequestDecoder {
    /// Gemini takes consecutive turns of one role (each function response
    /// in a turn of its own, as some clients send them); here they are one
    /// message: an OpenAI upstream wants every tool result right after its
    /// calls, and an Anthropic one each call's result in the next message.
    ///
    /// - Throws: 400 for a role other than `user`, `model` (or the old
    ///   `function`), and when no turn has a part to send: the pivot's
    ///   "messages: at least one message is required" named a field the
    ///   client never wrote.
    mutating func messages(_ contents: [JSONValue]) throws(APIError) -> [JSONValue] {
        var turns: [(isModel: Bool, blocks: [JSONValue])] = []
        var previousWasModel = false
        for (index, content) in contents.enumerated() {
            guard let parts = content[gemini: "parts"]?.arrayValue else {
                throw .invalidRequest("contents[\(index)].parts: must be an array of Part objects")
            }
            let isModel = try Self.isModelTurn(content, index: index)
            let continues = turns.last?.isModel == isModel
            let took: Bool
            if isModel {
                // A streamed answer's chunks, each a model turn of its own
                // (google-genai's chats keep them so), continue the turn
                // before: their text fragments join it.
                var blocks = continues ? turns.removeLast().blocks : []
                // Text joins only a model Content right before it: across a
                // user turn left out, two answers are not one text.
                took = appendModelBlocks(parts, content: index, to: &blocks, joiningText: previousWasModel)
                if !blocks.isEmpty { turns.append((true, blocks)) }
            } else {
                let blocks = userBlocks(parts, content: index)
                took = !blocks.isEmpty
                if continues, took, let last = turns.indices.last {
                    turns[last].blocks += blocks
                } else if took {
                    turns.append((false, blocks))
                }
            }
            if !took {
                diagnostics.append(.info("/contents/\(index)", "turn with nothing Anthropic can take; left out"))
            }
            previousWasModel = isModel
        }
        if turns.isEmpty {
            throw .invalidRequest(
                contents.isEmpty
                    ? "contents: at least one Content is required"
                    : "contents: no part the proxy can send (text, inlineData, fileData, functionCall, "
                        + "functionResponse) in any Content")
        }
        return turns.map { ["role": $0.isModel ? "assistant" : "user", "content": .array($0.blocks)] }
    }

    /// Whether a turn is the model's. No role is the user's, as Gemini reads
    /// it; `function` is the role old clients give function responses. Any
    /// other (`"model2"`) is refused, as Gemini refuses it, rather than
    /// taken for the user's.
    private static func isModelTurn(_ content: JSONValue, index: Int) throws(APIError) -> Bool {
        guard let role = content["role"], !role.isNull else { return false }
        switch role.stringValue {
        case "model": return true
        case "user", "function": return false
        default:
            throw .invalidRequest(
                "contents[\(index)].role: must be \"user\" or \"model\", got \(role.serializedString())")
        }
    }

    // MARK: Model turns

    /// The JSON pointer of a part, for diagnostics: made only when one is
    /// reported (string interpolation was a tenth of a small request's
    /// conversion).
    static func pointer(content: Int, part: Int) -> String {
        "/contents/\(content)/parts/\(part)"
    }

    /// Appends a model turn's parts to `blocks` (the model turn before it,
    /// if any); whether any part was taken.
    ///
    /// Adjacent text parts are one text block, as google-genai's own
    /// `.text` joins them: a streamed answer's fragments, apart, went to
    /// OpenAI upstreams paragraphs apart ("It is 2\n\n1 in Pa\n\nris.").
    /// A part's signature closes its text (it rides in the text-less
    /// thinking block after it), so the text after it is a block of its own.
    /// - Parameter joiningText: whether the first text part may join a text
    ///   block that ends `values` (the Content just before was the model's).
    private mutating func appendModelBlocks(
        _ parts: [JSONValue], content: Int, to values: inout [JSONValue], joiningText: Bool
    ) -> Bool {
        var blocks = values.compactMap(\.objectValue)
        var took = false
        var joining = joiningText
        for (index, part) in parts.enumerated() {
            let signature = part[gemini: "thoughtSignature"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let call = part[gemini: "functionCall"] {
                blocks.append(toolUse(call, signature: signature))
                took = true
            } else if let text = part["text"]?.stringValue ?? (part["thought"]?.boolValue == true ? "" : nil) {
                // A thought part may have no text: the proxy's own signature-only thought.
                let carried = signature.map(GeminiClientMapping.thinkingSignature(fromThought:))
                if part["thought"]?.boolValue == true {
                    took = appendThinking(text, signature: carried, to: &blocks) || took
                    continue
                }
                if !text.isEmpty {
                    if joining {
                        Self.appendText(text, to: &blocks)
                    } else {
                        blocks.append(["type": "text", "text": .string(text)])
                    }
                    took = true
                }
                joining = true
                // As the upstream direction does (see GeminiThoughtSignature):
                // a text part's signature rides in a text-less thinking block after it.
                if let carried {
                    blocks.append(["type": "thinking", "thinking": "", "signature": .string(carried)])
                    took = true
                }
            } else {
                reportUnsupportedPart(part, path: Self.pointer(content: content, part: index))
            }
        }
        values = blocks.map(JSONValue.object)
        return took
    }

    /// `text` joined to the text block just before it, or a block of its own.
    private static func appendText(_ text: String, to blocks: inout [JSONObject]) {
        if let last = blocks.indices.last, blocks[last]["type"] == "text",
            let before = blocks[last]["text"]?.stringValue
        {
            blocks[last]["text"] = .string(before + text)
        } else {
            blocks.append(["type": "text", "text": .string(text)])
        }
    }

    /// Consecutive thought parts (a stream's pieces) are one thinking block,
    /// closed by the part that carries the signature; whether the part was
    /// taken.
    private func appendThinking(_ text: String, signature: String?, to blocks: inout [JSONObject]) -> Bool {
        if let last = blocks.indices.last, blocks[last]["type"] == "thinking", blocks[last]["signature"] == "" {
            blocks[last]["thinking"] = .string((blocks[last]["thinking"]?.stringValue ?? "") + text)
            if let signature { blocks[last]["signature"] = .string(signature) }
            return true
        }
        guard !text.isEmpty || signature != nil else { return false }
        blocks.append(["type": "thinking", "thinking": .string(text), "signature": .string(signature ?? "")])
        return true
    }

    /// A `functionCall` -> `tool_use`. The client's id is kept; without one
    /// the id is made from the name and the call's ordinal, so the same
    /// history always gives the same ids. A signature not already in the id
    /// is added to it, where the Gemini upstream looks for it.
    private mutating func toolUse(_ call: JSONValue, signature: String?) -> JSONObject {
        let name = call["name"]?.stringValue ?? ""
        let clientID = call["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        var id = clientID ?? "toolu_\(Self.idSafe(name))_\(calls.count)"
        let signature = signature.map(GeminiClientMapping.geminiSignature(fromClient:))
        if let signature, GeminiThoughtSignature.signature(fromToolUseID: id) != signature {
            id = GeminiThoughtSignature.toolUseID(base: id, signature: signature)
        }
        calls.append(Call(clientID: clientID, name: name, id: id))
        let args = call["args"]?.objectValue.map(JSONValue.object) ?? [:]
        return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": args]
    }

    /// Anthropic ids allow only `[A-Za-z0-9_-]`; Gemini names also allow `.` and `:`.
    private static func idSafe(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
    }

    // MARK: User turns

    /// A user turn: tool results first (Anthropic wants them leading the
    /// turn that answers the calls), then the other blocks in order.
    private mutating func userBlocks(_ parts: [JSONValue], content: Int) -> [JSONValue] {
        var results: [JSONValue] = []
        var blocks: [JSONValue] = []
        for (index, part) in parts.enumerated() {
            let partPath = { Self.pointer(content: content, part: index) }
            if let response = part[gemini: "functionResponse"] {
                if let result = toolResult(response, path: partPath()) {
                    results.append(result)
                } else {
                    let text = "[result of \(response["name"]?.stringValue ?? "?")]: \(Self.resultText(response))"
                    blocks.append(["type": "text", "text": .string(text)])
                }
            } else if let text = part["text"]?.stringValue {
                if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
            } else if let inline = part[gemini: "inlineData"] {
                if let block = inlineBlock(inline, path: partPath()) { blocks.append(block) }
            } else if let file = part[gemini: "fileData"] {
                if let block = fileBlock(file, path: partPath()) { blocks.append(block) }
            } else {
                reportUnsupportedPart(part, path: partPath())
            }
        }
        return results.isEmpty ? blocks : results + blocks
    }

    /// The `tool_result` for the earliest unanswered call this response
    /// answers (by id when both have one, else by name), or nil with a
    /// warning when there is no such call.
    private mutating func toolResult(_ response: JSONValue, path: String) -> JSONValue? {
        let name = response["name"]?.stringValue ?? ""
        let responseID = response["id"]?.stringValue
        let match =
            calls.firstIndex { !$0.answered && responseID != nil && $0.clientID == responseID }
            ?? calls.firstIndex { !$0.answered && $0.name == name }
        guard let match else {
            diagnostics.append(
                .warning(path, "functionResponse for \(name) answers no earlier functionCall; sent as text"))
            return nil
        }
        calls[match].answered = true
        var result: JSONObject = [
            "type": "tool_result", "tool_use_id": .string(calls[match].id),
            "content": .string(Self.resultText(response)),
        ]
        if let payload = response["response"]?.objectValue, payload.count == 1, payload["error"] != nil {
            result["is_error"] = true
        }
        if response["parts"] != nil {
            diagnostics.append(
                .warning("\(path)/functionResponse/parts", "multimodal function results are not converted; dropped"))
        }
        return .object(result)
    }

    /// A function's `response` as text: a lone `output`/`result`/`error`
    /// string as it is, anything else as its JSON.
    private static func resultText(_ response: JSONValue) -> String {
        guard let payload = response["response"] else { return "" }
        if let object = payload.objectValue, object.count == 1, let text = object[0].value.stringValue,
            ["output", "result", "content", "error"].contains(object[0].key)
        {
            return text
        }
        return payload.stringValue ?? payload.serializedString()
    }

    private mutating func inlineBlock(_ inline: JSONValue, path: String) -> JSONValue? {
        let mimeType = inline[gemini: "mimeType"]?.stringValue ?? ""
        let source: JSONValue = ["type": "base64", "media_type": .string(mimeType), "data": inline["data"] ?? ""]
        if mimeType.hasPrefix("image/") { return ["type": "image", "source": source] }
        if mimeType == "application/pdf" { return ["type": "document", "source": source] }
        // Text of any kind (a file a client attached) is a plain-text
        // document, which is all the text Anthropic takes as a document.
        if let text = PlainTextSource.from(source) { return ["type": "document", "source": text] }
        diagnostics.append(.warning(path, "inline data of type \(mimeType) cannot be sent to Anthropic; dropped"))
        return nil
    }

    private mutating func fileBlock(_ file: JSONValue, path: String) -> JSONValue? {
        guard let uri = file[gemini: "fileUri"]?.stringValue else {
            diagnostics.append(.warning(path, "fileData without a fileUri; dropped"))
            return nil
        }
        let mimeType = file[gemini: "mimeType"]?.stringValue ?? GeminiRequestBuilder.mimeType(forURL: uri) ?? ""
        let source: JSONValue = ["type": "url", "url": .string(uri)]
        if mimeType.hasPrefix("image/") { return ["type": "image", "source": source] }
        if mimeType == "application/pdf" { return ["type": "document", "source": source] }
        diagnostics.append(.warning(path, "file of type \(mimeType) cannot be sent to Anthropic; dropped"))
        return nil
    }

    private mutating func reportUnsupportedPart(_ part: JSONValue, path: String) {
        let kind = part.objectValue?.keys.first { $0 != "thoughtSignature" && $0 != "thought_signature" } ?? "empty"
        diagnostics.append(.warning(path, "\(kind) part has no Anthropic equivalent here; dropped"))
    }
}
