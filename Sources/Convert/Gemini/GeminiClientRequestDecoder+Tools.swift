import Wire

/// Tools: Gemini `functionDeclarations` and `toolConfig` to Anthropic tools
/// and `tool_choice`.
extension GeminiClientRequestDecoder {
    mutating func addTools(to body: inout JSONObject) {
        var tools: [JSONValue] = []
        for (index, tool) in (request[gemini: "tools"]?.arrayValue ?? []).enumerated() {
            let path = "/tools/\(index)"
            for key in tool.objectValue?.keys ?? [] where GeminiClientMapping.camelCase(key) != "functionDeclarations" {
                // Google Search, code execution and the like run at Google; an
                // Anthropic model cannot call them.
                diagnostics.append(
                    .warning("\(path)/\(ConversionDiagnostic.pointerToken(key))", "Gemini built-in tool; dropped"))
            }
            for declaration in tool[gemini: "functionDeclarations"]?.arrayValue ?? [] {
                tools.append(anthropicTool(declaration))
            }
        }
        let config = request[gemini: "toolConfig"]?[gemini: "functionCallingConfig"]
        guard !tools.isEmpty else {
            if config != nil {
                diagnostics.append(.debug("/toolConfig", "no function declarations to configure; dropped"))
            }
            return
        }
        body["tools"] = .array(tools)
        guard let config else { return }
        let names = config[gemini: "allowedFunctionNames"]?.arrayValue ?? []
        switch config["mode"]?.stringValue?.uppercased() {
        case "ANY":
            if names.count == 1, let name = names[0].stringValue {
                body["tool_choice"] = ["type": "tool", "name": .string(name)]
            } else {
                body["tool_choice"] = ["type": "any"]
                if names.count > 1 {
                    diagnostics.append(
                        .info(
                            "/toolConfig/functionCallingConfig/allowedFunctionNames",
                            "Anthropic can force one tool or any tool, not a subset; any tool allowed"))
                }
            }
        case "NONE": body["tool_choice"] = ["type": "none"]
        case "AUTO", nil: body["tool_choice"] = ["type": "auto"]
        case let mode?:
            body["tool_choice"] = ["type": "auto"]
            diagnostics.append(.info("/toolConfig/functionCallingConfig/mode", "mode \(mode) sent as auto"))
        }
    }

    private func anthropicTool(_ declaration: JSONValue) -> JSONValue {
        var tool: JSONObject = ["name": declaration["name"] ?? ""]
        if let description = declaration["description"]?.stringValue { tool["description"] = .string(description) }
        var schema: JSONValue
        if let jsonSchema = declaration[gemini: "parametersJsonSchema"] {
            schema = jsonSchema
        } else if let parameters = declaration["parameters"] {
            // `propertyOrdering` is Gemini's alone; Anthropic's tools take none.
            schema = StructuredOutput.withoutPropertyOrdering(StructuredOutput.jsonSchema(fromOpenAPI: parameters))
        } else {
            schema = ["type": "object", "properties": [:]]
        }
        // Anthropic requires an object schema at the top.
        if schema["type"] == nil { schema["type"] = "object" }
        tool["input_schema"] = schema
        return .object(tool)
    }
}
