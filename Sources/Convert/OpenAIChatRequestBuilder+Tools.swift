import Wire

/// Tools and tool choice: Anthropic's tool definitions to OpenAI functions.
extension OpenAIChatRequestBuilder {
    /// Tool fields OpenAI can carry; every other field (`defer_loading`,
    /// `cache_control`, `input_examples`...) steers Anthropic-side features.
    static let translatedToolFields: Set<String> = ["name", "description", "input_schema", "type", "strict"]

    mutating func addTools(to body: inout JSONObject) {
        var functions: [JSONValue] = []
        for (index, tool) in (request["tools"]?.arrayValue ?? []).enumerated() {
            if let function = convertedTool(tool, path: "/tools/\(index)") { functions.append(function) }
        }
        guard !functions.isEmpty else {
            if request["tool_choice"] != nil {
                diagnostics.append(.debug("/tool_choice", "no tools to choose from upstream; dropped"))
            }
            return
        }
        body["tools"] = .array(functions)
        guard let choice = request["tool_choice"]?.objectValue else { return }
        switch choice["type"]?.stringValue {
        case "auto": body["tool_choice"] = "auto"
        case "any": body["tool_choice"] = "required"
        case "none": body["tool_choice"] = "none"
        case "tool":
            body["tool_choice"] = ["type": "function", "function": ["name": choice["name"] ?? ""]]
        default:
            diagnostics.append(.warning("/tool_choice/type", "unknown tool_choice type; dropped"))
        }
        if choice["disable_parallel_tool_use"]?.boolValue == true && choice["type"]?.stringValue != "none" {
            body["parallel_tool_calls"] = false
        }
    }

    private mutating func convertedTool(_ tool: JSONValue, path: String) -> JSONValue? {
        guard case .object(let definition) = tool, let name = definition["name"]?.stringValue else { return nil }
        let type = definition["type"]?.stringValue ?? "custom"
        if type != "custom" && definition["input_schema"] == nil {
            diagnostics.append(
                .warning(path, "Anthropic server tool \(name) (\(type)) cannot run on an OpenAI upstream; dropped"))
            return nil
        }
        var function: JSONObject = ["name": .string(name)]
        if let description = definition["description"]?.stringValue { function["description"] = .string(description) }
        function["parameters"] = definition["input_schema"] ?? ["type": "object", "properties": [:]]
        if let strict = definition["strict"]?.boolValue { function["strict"] = .bool(strict) }
        for member in definition where !Self.translatedToolFields.contains(member.key) {
            diagnostics.append(
                .debug("\(path)/\(ConversionDiagnostic.pointerToken(member.key))", "no OpenAI equivalent; dropped"))
        }
        return ["type": "function", "function": .object(function)]
    }
}
