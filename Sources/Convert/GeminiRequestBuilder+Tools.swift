import Wire

/// Tools and tool choice: Anthropic tool definitions to Gemini
/// `functionDeclarations` and `toolConfig`.
extension GeminiRequestBuilder {
    static let translatedToolFields: Set<String> = ["name", "description", "input_schema", "type"]

    mutating func addTools(to body: inout JSONObject) {
        var declarations: [JSONValue] = []
        for (index, tool) in (request["tools"]?.arrayValue ?? []).enumerated() {
            let path = "/tools/\(index)"
            guard let (name, definition) = functionTool(tool, path: path, translated: Self.translatedToolFields) else {
                continue
            }
            var declaration: JSONObject = ["name": .string(name)]
            if let description = definition["description"]?.stringValue {
                declaration["description"] = .string(description)
            }
            if let schema = definition["input_schema"] {
                var cleaner = GeminiSchemaCleaner(root: schema)
                let cleaned = cleaner.clean(schema, path: "\(path)/input_schema")
                diagnostics += cleaner.diagnostics
                // An object with no properties is refused ("properties should
                // be non-empty for OBJECT type"); no parameters says the same.
                if cleaned["properties"] != nil { declaration["parameters"] = cleaned }
            }
            declarations.append(.object(declaration))
        }
        guard !declarations.isEmpty else {
            if request["tool_choice"] != nil {
                diagnostics.append(.debug("/tool_choice", "no tools to choose from upstream; dropped"))
            }
            return
        }
        body["tools"] = [["functionDeclarations": .array(declarations)]]
        guard let choice = request["tool_choice"]?.objectValue else { return }
        let config: JSONObject
        switch choice["type"]?.stringValue {
        case "auto": config = ["mode": "AUTO"]
        case "any": config = ["mode": "ANY"]
        case "none": config = ["mode": "NONE"]
        case "tool": config = ["mode": "ANY", "allowedFunctionNames": [choice["name"] ?? ""]]
        default:
            diagnostics.append(.warning("/tool_choice/type", "unknown tool_choice type; dropped"))
            return
        }
        if choice["disable_parallel_tool_use"] != nil {
            diagnostics.append(.debug("/tool_choice/disable_parallel_tool_use", "no Gemini equivalent; dropped"))
        }
        body["toolConfig"] = ["functionCallingConfig": .object(config)]
    }
}
