import Wire

/// Messages: OpenAI's role messages to Anthropic's alternating turns.
extension OpenAIChatRequestDecoder {
    /// The joined system text and the Anthropic messages (the system text
    /// as the one user message when there is nothing else). Consecutive
    /// messages of one Anthropic role become one turn: `tool` messages and a
    /// following user message all become the single user turn Anthropic
    /// wants after the assistant's tool calls.
    mutating func decodeMessages() throws(APIError) -> (system: String?, messages: [JSONValue]) {
        guard let value = request["messages"], !value.isNull else { throw .invalidRequest("messages is required") }
        guard let messages = value.arrayValue else { throw Self.wrongType("messages", "an array", value) }
        var systemTexts: [String] = []
        var turns: [(role: String, blocks: [JSONValue])] = []
        for (index, message) in messages.enumerated() {
            let field = "messages[\(index)]"
            guard let object = message.objectValue else { throw Self.wrongType(field, "an object", message) }
            guard let role = object["role"]?.stringValue else {
                throw .invalidRequest("\(field).role is required and must be a string")
            }
            let turn: (String, [JSONValue])
            switch role {
            case "system", "developer":
                systemTexts += try texts(of: object["content"], field: "\(field).content", path: "/messages/\(index)")
                continue
            case "user":
                turn = ("user", try userBlocks(object["content"], field: "\(field).content", index: index))
            case "assistant":
                turn = ("assistant", try assistantBlocks(object, field: field, index: index))
            case "tool":
                turn = ("user", [try toolResult(object, field: field, index: index)])
            case "function":
                turn = ("user", [try functionResult(object, field: field, index: index)])
            default:
                throw .invalidRequest(
                    "\(field).role \(role) is not one of system, developer, user, assistant, tool, function")
            }
            let (anthropicRole, blocks) = turn
            guard !blocks.isEmpty else {
                diagnostics.append(.info("/messages/\(index)", "message with no content; left out"))
                continue
            }
            if let last = turns.last, last.role == anthropicRole {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((anthropicRole, blocks))
            }
        }
        let system = systemTexts.isEmpty ? nil : systemTexts.joined(separator: "\n\n")
        if turns.isEmpty, let system {
            // OpenAI answers system messages alone; Anthropic wants a
            // message. The text moves to one user message (as LiteLLM does)
            // rather than being both system and user, which says it twice.
            diagnostics.append(.info("/messages", "only system messages; their text sent as the user message"))
            return (nil, [["role": "user", "content": [["type": "text", "text": .string(system)]]]])
        }
        return (system, turns.map { ["role": .string($0.role), "content": .array($0.blocks)] })
    }

    /// Text of a string or an array of `text` parts (system, tool content).
    private mutating func texts(of content: JSONValue?, field: String, path: String) throws(APIError) -> [String] {
        switch content {
        case nil, .null?: return []
        case .string(let text)?: return text.isEmpty ? [] : [text]
        case .array(let parts)?:
            var texts: [String] = []
            for (index, part) in parts.enumerated() {
                if part["type"]?.stringValue == "text", let text = part["text"]?.stringValue {
                    texts.append(text)
                } else {
                    diagnostics.append(.warning("\(path)/content/\(index)", "only text parts can go here; dropped"))
                }
            }
            return texts
        case let other?: throw Self.wrongType(field, "a string or an array of content parts", other)
        }
    }

    private mutating func userBlocks(_ content: JSONValue?, field: String, index: Int) throws(APIError) -> [JSONValue] {
        switch content {
        case nil, .null?: return []
        case .string(let text)?: return text.isEmpty ? [] : [["type": "text", "text": .string(text)]]
        case .array(let parts)?:
            var blocks: [JSONValue] = []
            for (partIndex, part) in parts.enumerated() {
                let partField = "\(field)[\(partIndex)]"
                let path = "/messages/\(index)/content/\(partIndex)"
                switch part["type"]?.stringValue {
                case "text":
                    guard let text = part["text"]?.stringValue else {
                        throw .invalidRequest("\(partField).text is required and must be a string")
                    }
                    if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
                case "image_url":
                    guard let url = part["image_url"]?["url"]?.stringValue ?? part["image_url"]?.stringValue else {
                        throw .invalidRequest("\(partField).image_url.url is required and must be a string")
                    }
                    if let image = imageBlock(url: url, path: path) { blocks.append(image) }
                case "file":
                    blocks.append(try document(part["file"], field: "\(partField).file"))
                default:
                    diagnostics.append(
                        .warning(path, "content part \(part["type"]?.stringValue ?? "?") cannot be sent; dropped"))
                }
            }
            return blocks
        case let other?: throw Self.wrongType(field, "a string or an array of content parts", other)
        }
    }

    /// A `data:` URL becomes a base64 source, anything else a url source.
    private mutating func imageBlock(url: String, path: String) -> JSONValue? {
        let source = OpenAIFilePart.source(url: url, defaultMediaType: "image/png")
        // A data URL that is not base64 comes back as a url source, which
        // Anthropic refuses: the request is sent without it instead.
        guard !url.hasPrefix("data:") || source["type"] == "base64" else {
            diagnostics.append(.warning(path, "image data URL is not base64; dropped"))
            return nil
        }
        return ["type": "image", "source": source]
    }

    /// A `file` part (a PDF, usually) as a document block. A `file_id`
    /// names a file in OpenAI's storage, which this request's upstream
    /// cannot read: refused, since answering without the document would
    /// look like an answer about it.
    private func document(_ file: JSONValue?, field: String) throws(APIError) -> JSONValue {
        guard let file, file.objectValue != nil else {
            throw .invalidRequest("\(field) is required and must be an object")
        }
        if let document = OpenAIFilePart.document(file) { return document }
        guard file["file_id"] == nil else {
            throw .invalidRequest(
                "\(field).file_id names a file in OpenAI's file storage, which the proxy can pass on only to a "
                    + "route of format openai; send the file's content inline as file_data "
                    + "(a data:application/pdf;base64,... URL)")
        }
        throw .invalidRequest("\(field).file_data is required and must be a string")
    }

    /// Reasoning first (Anthropic puts thinking before what it led to), then
    /// text, then the tool calls.
    private mutating func assistantBlocks(
        _ message: JSONObject, field: String, index: Int
    ) throws(APIError)
        -> [JSONValue]
    {
        var blocks: [JSONValue] = []
        if let reasoning = message["reasoning_content"]?.stringValue, !reasoning.isEmpty {
            // OpenAI-style reasoning comes with no signature; an empty one
            // marks it as unsigned for the upstream encoder to decide on.
            blocks.append(ContentBlock.thinking(thinking: reasoning, signature: "").json)
        }
        let path = "/messages/\(index)"
        for text in try texts(of: message["content"], field: "\(field).content", path: path) {
            blocks.append(["type": "text", "text": .string(text)])
        }
        if let refusal = message["refusal"]?.stringValue, !refusal.isEmpty {
            blocks.append(["type": "text", "text": .string(refusal)])
        }
        switch message["tool_calls"] {
        case nil, .null?: break
        case .array(let calls)?:
            for (callIndex, call) in calls.enumerated() {
                blocks.append(
                    try toolUse(
                        call, field: "\(field).tool_calls[\(callIndex)]", path: "\(path)/tool_calls/\(callIndex)"))
            }
        case let other?: throw Self.wrongType("\(field).tool_calls", "an array", other)
        }
        if let call = message["function_call"], !call.isNull {
            blocks.append(try assistantFunctionCall(call, field: "\(field).function_call", index: index))
        }
        return blocks
    }

    /// An assistant's legacy `function_call`, which has no id: its
    /// `tool_use` gets one made of the message's place, which the
    /// `function` message after it (``functionResult(_:field:index:)``)
    /// answers.
    private mutating func assistantFunctionCall(
        _ call: JSONValue, field: String, index: Int
    ) throws(APIError)
        -> JSONValue
    {
        let id = "call_function_\(index)"
        let block = try toolUse(id: id, function: call, field: field, path: "/messages/\(index)/function_call")
        openFunctionCall = (block["name"]?.stringValue ?? "", id)
        return block
    }

    /// A legacy `function` message: the result of the assistant's last
    /// `function_call`, named by its `name` rather than by an id.
    private mutating func functionResult(
        _ message: JSONObject, field: String, index: Int
    ) throws(APIError)
        -> JSONValue
    {
        guard let name = message["name"]?.stringValue else {
            throw .invalidRequest("\(field).name is required and must be a string")
        }
        guard let call = openFunctionCall, call.name == name else {
            throw .invalidRequest(
                "\(field): a function message answers the assistant's function_call of the same name just before it, "
                    + "and there is no open call of \(name)")
        }
        openFunctionCall = nil
        let texts = try texts(of: message["content"], field: "\(field).content", path: "/messages/\(index)")
        return [
            "type": "tool_result", "tool_use_id": .string(call.id), "content": .string(texts.joined(separator: "\n\n")),
        ]
    }

    private mutating func toolUse(_ call: JSONValue, field: String, path: String) throws(APIError) -> JSONValue {
        guard let id = call["id"]?.stringValue else {
            throw .invalidRequest("\(field).id is required and must be a string")
        }
        return try toolUse(id: id, function: call["function"], field: "\(field).function", path: "\(path)/function")
    }

    /// A call's function (`{name, arguments}`: a tool call's `function`,
    /// or a legacy `function_call`) as a `tool_use` block.
    private mutating func toolUse(
        id: String, function: JSONValue?, field: String, path: String
    ) throws(APIError)
        -> JSONValue
    {
        guard let name = function?["name"]?.stringValue else {
            throw .invalidRequest("\(field).name is required and must be a string")
        }
        let arguments = function?["arguments"]?.stringValue ?? ""
        var input: JSONValue = [:]
        if let parsed = try? JSONValue(parsing: arguments), case .object = parsed {
            input = parsed
        } else if !arguments.trimmingSpaces().isEmpty {
            // Anthropic's input must be an object; the call is kept so its
            // result still has a call to answer.
            diagnostics.append(.warning("\(path)/arguments", "arguments are not a JSON object; sent as {}"))
        }
        return ContentBlock.toolUse(id: id, name: name, input: input).json
    }

    private mutating func toolResult(_ message: JSONObject, field: String, index: Int) throws(APIError) -> JSONValue {
        guard let id = message["tool_call_id"]?.stringValue else {
            throw .invalidRequest("\(field).tool_call_id is required and must be a string")
        }
        let texts = try texts(of: message["content"], field: "\(field).content", path: "/messages/\(index)")
        return ["type": "tool_result", "tool_use_id": .string(id), "content": .string(texts.joined(separator: "\n\n"))]
    }
}

extension String {
    fileprivate func trimmingSpaces() -> Substring {
        drop { $0.isWhitespace }
    }
}
