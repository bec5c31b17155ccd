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
            if route.reasoningModel == true && OpenAIReasoningModel.isOSeries(route.upstreamModel) {
                // Sent, the o-series answered 400: the client may get several calls in one turn, as it can take.
                diagnostics.append(
                    .warning(
                        "/tool_choice/disable_parallel_tool_use",
                        "\(route.upstreamModel) takes no parallel_tool_calls; one call a turn not asked for"))
            } else {
                body["parallel_tool_calls"] = false
            }
        }
    }

    private mutating func convertedTool(_ tool: JSONValue, path: String) -> JSONValue? {
        guard let (name, definition) = functionTool(tool, path: path, translated: Self.translatedToolFields) else {
            return nil
        }
        var function: JSONObject = ["name": .string(name)]
        if let description = definition["description"]?.stringValue { function["description"] = .string(description) }
        let (parameters, strict) = OpenAIStrictTool.parameters(
            of: definition, path: path, upstream: "OpenAI Chat", diagnostics: &diagnostics)
        function["parameters"] = parameters
        if let strict { function["strict"] = .bool(strict) }
        return ["type": "function", "function": .object(function)]
    }
}
