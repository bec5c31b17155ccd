import Wire

/// The shape checks behind ``RequestConverter/validate(anthropicRequest:)``.
///
/// Field names follow Anthropic's own error messages (`messages.0.content`),
/// so a client sees the same kind of message it would get from Anthropic.
enum AnthropicRequestValidator {
    static func validate(_ request: JSONValue) throws(APIError) {
        guard case .object(let body) = request else {
            throw .invalidRequest("the request body must be a JSON object, got \(request.typeName)")
        }
        guard let model = body["model"] else { throw Self.missing("model") }
        guard let name = model.stringValue else { throw Self.wrongType("model", "a string", model) }
        if name.isEmpty { throw .invalidRequest("model: must not be empty") }

        guard let maxTokens = body["max_tokens"] else { throw Self.missing("max_tokens") }
        guard let tokens = maxTokens.intValue, case .int = maxTokens else {
            throw Self.wrongType("max_tokens", "an integer", maxTokens)
        }
        if tokens < 1 { throw .invalidRequest("max_tokens: must be at least 1, got \(tokens)") }

        guard let messages = body["messages"] else { throw Self.missing("messages") }
        guard case .array(let list) = messages else { throw Self.wrongType("messages", "an array", messages) }
        try Self.expect(body, "thread", "an object") { $0.objectValue != nil }
        // A thread's `continue` sends only what the server lacks, which
        // after a `pause_turn` is nothing: Anthropic resumes the turn it holds.
        if list.isEmpty, body["thread"]?["type"]?.stringValue != "continue" {
            throw .invalidRequest("messages: at least one message is required")
        }
        for (index, message) in list.enumerated() {
            try validateMessage(message, field: "messages.\(index)")
        }

        if let system = body["system"] {
            try Self.validateTextOrBlocks(system, field: "system")
        }
        try Self.expect(body, "stream", "a boolean") { $0.boolValue != nil }
        try Self.expect(body, "temperature", "a number") { $0.doubleValue != nil }
        try Self.expect(body, "top_p", "a number") { $0.doubleValue != nil }
        try Self.expect(body, "top_k", "an integer") { $0.intValue != nil }
        try Self.expect(body, "metadata", "an object") { $0.objectValue != nil }
        try Self.expect(body, "thinking", "an object") { $0.objectValue != nil }
        try Self.expect(body, "tool_choice", "an object") { $0.objectValue != nil }
        try Self.expect(body, "stop_sequences", "an array of strings") {
            $0.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false
        }
        if let tools = body["tools"] {
            guard case .array(let toolList) = tools else { throw Self.wrongType("tools", "an array", tools) }
            for (index, tool) in toolList.enumerated() {
                guard case .object(let object) = tool else {
                    throw Self.wrongType("tools.\(index)", "an object", tool)
                }
                guard let toolName = object["name"] else { throw Self.missing("tools.\(index).name") }
                if toolName.stringValue == nil { throw Self.wrongType("tools.\(index).name", "a string", toolName) }
            }
        }
    }

    // The field names (`messages.12.content.3`) are autoclosures, made only
    // for an error: interpolated up front for every message and block,
    // they were most of the validator's cost on Claude Code's requests.
    private static func validateMessage(_ message: JSONValue, field: @autoclosure () -> String) throws(APIError) {
        guard case .object(let object) = message else { throw Self.wrongType(field(), "an object", message) }
        guard let role = object["role"] else { throw Self.missing("\(field()).role") }
        guard let roleName = role.stringValue, roleName == "user" || roleName == "assistant" || roleName == "system"
        else {
            throw .invalidRequest("\(field()).role: must be \"user\" or \"assistant\", got \(role)")
        }
        guard let content = object["content"] else { throw Self.missing("\(field()).content") }
        try Self.validateTextOrBlocks(content, field: "\(field()).content")
        guard case .array(let blocks) = content else { return }
        for (index, block) in blocks.enumerated() {
            try Self.validateBlock(block, field: "\(field()).content.\(index)")
        }
    }

    private static func validateTextOrBlocks(_ value: JSONValue, field: @autoclosure () -> String) throws(APIError) {
        switch value {
        case .string:
            return
        case .array(let blocks):
            for (index, block) in blocks.enumerated() {
                guard case .object(let object) = block else {
                    throw wrongType("\(field()).\(index)", "a content block object", block)
                }
                guard let type = object["type"] else { throw missing("\(field()).\(index).type") }
                if type.stringValue == nil { throw wrongType("\(field()).\(index).type", "a string", type) }
            }
        default:
            throw wrongType(field(), "a string or an array of content blocks", value)
        }
    }

    private static func validateBlock(_ block: JSONValue, field: @autoclosure () -> String) throws(APIError) {
        guard case .object(let object) = block, let type = object["type"]?.stringValue else { return }
        switch type {
        case "text":
            try requireString(object, "text", field: field())
        case "tool_use":
            try requireString(object, "id", field: field())
            try requireString(object, "name", field: field())
            if let input = object["input"], input.objectValue == nil {
                throw wrongType("\(field()).input", "an object", input)
            }
        case "tool_result":
            try requireString(object, "tool_use_id", field: field())
            if let content = object["content"] { try validateTextOrBlocks(content, field: "\(field()).content") }
            if let isError = object["is_error"], isError.boolValue == nil {
                throw wrongType("\(field()).is_error", "a boolean", isError)
            }
        case "image":
            guard let source = object["source"] else { throw missing("\(field()).source") }
            if source.objectValue == nil { throw wrongType("\(field()).source", "an object", source) }
        default:
            return
        }
    }

    private static func requireString(
        _ object: JSONObject, _ key: String, field: @autoclosure () -> String
    ) throws(APIError) {
        guard let value = object[key] else { throw missing("\(field()).\(key)") }
        if value.stringValue == nil { throw wrongType("\(field()).\(key)", "a string", value) }
    }

    private static func expect(
        _ body: JSONObject, _ key: String, _ expected: String, _ isValid: (JSONValue) -> Bool
    ) throws(APIError) {
        guard let value = body[key], !value.isNull else { return }
        if !isValid(value) { throw wrongType(key, expected, value) }
    }

    private static func missing(_ field: String) -> APIError {
        .invalidRequest("\(field): Field required")
    }

    private static func wrongType(_ field: String, _ expected: String, _ value: JSONValue) -> APIError {
        .invalidRequest("\(field): expected \(expected), got \(value.typeName)")
    }
}
