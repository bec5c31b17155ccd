import Wire

/// `input` -> Anthropic messages (and system text).
extension OpenAIResponsesClientRequestDecoder {
    mutating func convertInput(_ input: JSONValue) throws(APIError) {
        if let text = input.stringValue {
            append([["type": "text", "text": .string(text)]], role: "user")
            return
        }
        guard let items = input.arrayValue else {
            throw .invalidRequest("input: expected a string or a list of input items, got \(input.typeName)")
        }
        for (index, item) in items.enumerated() {
            let path = "/input/\(index)"
            // Easy input messages ({role, content}) may leave out their type.
            switch item["type"]?.stringValue ?? (item["role"] != nil ? "message" : nil) {
            case "message":
                try message(item, path: path)
            case "function_call":
                functionCall(item, path: path)
            case "function_call_output":
                functionCallOutput(item, path: path)
            case "reasoning":
                try reasoning(item, path: path)
            case let type:
                diagnostics.append(
                    .warning(path, "\(type ?? "untyped") input item has no Anthropic equivalent; dropped"))
            }
        }
    }

    /// Adds blocks to the conversation, to the last message when it has the
    /// same role (Anthropic wants one turn per role), tool results ahead of
    /// a turn's other blocks (Anthropic wants them first).
    mutating func append(_ blocks: [JSONValue], role: String) {
        guard !blocks.isEmpty else { return }
        guard let last = messages.last, last.role == role else {
            messages.append(Message(role: role, content: blocks))
            return
        }
        var content = last.content
        if blocks.allSatisfy({ $0["type"] == "tool_result" }) {
            let leading = content.prefix { $0["type"] == "tool_result" }.count
            content.insert(contentsOf: blocks, at: leading)
        } else {
            content += blocks
        }
        messages[messages.count - 1].content = content
    }

    // MARK: Items

    private mutating func message(_ item: JSONValue, path: String) throws(APIError) {
        let content = item["content"] ?? ""
        switch item["role"]?.stringValue {
        case "system", "developer":
            var texts: [String] = []
            for block in blocks(of: content, path: "\(path)/content") {
                guard let text = block["text"]?.stringValue else {
                    diagnostics.append(.warning("\(path)/content", "only text can be system content; dropped"))
                    continue
                }
                texts.append(text)
            }
            if !texts.isEmpty { systemTexts.append(texts.joined(separator: "\n\n")) }
        case "user":
            append(blocks(of: content, path: "\(path)/content"), role: "user")
        case "assistant":
            append(blocks(of: content, path: "\(path)/content"), role: "assistant")
        case let role:
            throw .invalidRequest("\(path)/role: unknown role \(role ?? "(none)")")
        }
    }

    private mutating func functionCall(_ item: JSONValue, path: String) {
        let callID = item["call_id"]?.stringValue ?? item["id"]?.stringValue ?? ""
        let (input, wrapped) = ToolArguments.input(from: item["arguments"]?.stringValue ?? "")
        if wrapped {
            diagnostics.append(
                .warning("\(path)/arguments", "not a JSON object; kept under \(ToolArguments.unparsedKey)"))
        }
        append(
            [["type": "tool_use", "id": .string(callID), "name": item["name"] ?? "", "input": input]],
            role: "assistant")
    }

    private mutating func functionCallOutput(_ item: JSONValue, path: String) {
        let output = item["output"] ?? ""
        var content = output
        if output.stringValue == nil { content = .array(blocks(of: output, path: "\(path)/output")) }
        append(
            [["type": "tool_result", "tool_use_id": item["call_id"] ?? "", "content": content]], role: "user")
    }

    /// A reasoning item goes back as the pivot block it came from: the one
    /// its `encrypted_content` carries when this proxy made it
    /// (``OpenAIResponsesCarriedReasoning``: another provider's reasoning),
    /// else a thinking block whose signature carries OpenAI's encrypted
    /// content (``OpenAIResponsesReasoningSignature``), which is how an
    /// OpenAI upstream gets it again. Without encrypted content there is
    /// nothing any upstream can verify, so it is dropped.
    private mutating func reasoning(_ item: JSONValue, path: String) throws(APIError) {
        guard let encrypted = item["encrypted_content"]?.stringValue, !encrypted.isEmpty else {
            diagnostics.append(
                .info(path, "reasoning without encrypted_content cannot be sent back to a model; dropped"))
            return
        }
        if let carried = try OpenAIResponsesCarriedReasoning.block(fromEncryptedContent: encrypted, path: path) {
            append([carried], role: "assistant")
            return
        }
        append(
            [
                [
                    "type": "thinking", "thinking": .string(OpenAIResponsesResultMapping.summaryText(item)),
                    "signature": .string(OpenAIResponsesReasoningSignature.signature(encryptedContent: encrypted)),
                ]
            ], role: "assistant")
    }

    // MARK: Content parts

    /// A message's content (a string, or parts) as Anthropic blocks. Empty
    /// text is left out: Anthropic rejects empty text blocks.
    mutating func blocks(of content: JSONValue, path: String) -> [JSONValue] {
        if let text = content.stringValue { return text.isEmpty ? [] : [["type": "text", "text": .string(text)]] }
        var blocks: [JSONValue] = []
        for (index, part) in (content.arrayValue ?? []).enumerated() {
            let partPath = "\(path)/\(index)"
            switch part["type"]?.stringValue {
            case "input_text", "output_text", "refusal":
                let text = part["text"]?.stringValue ?? part["refusal"]?.stringValue ?? ""
                if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
            case "input_image":
                if let block = image(part, path: partPath) { blocks.append(block) }
            case "input_file":
                if let block = file(part, path: partPath) { blocks.append(block) }
            case let type:
                diagnostics.append(
                    .warning(partPath, "\(type ?? "untyped") content part has no Anthropic equivalent; dropped"))
            }
        }
        return blocks
    }
}
