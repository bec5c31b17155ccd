import Wire

/// Tools, tool choice and reasoning effort.
extension OpenAIResponsesClientRequestDecoder {
    /// The budget `reasoning.effort` asks for, if any.
    mutating func thinkingBudget() -> Int? {
        guard let effort = request["reasoning"]?["effort"]?.stringValue else { return nil }
        if effort == "none" { return nil }
        guard let budget = ReasoningEffortMapping.budget(forEffort: effort) else {
            diagnostics.append(.warning("/reasoning/effort", "unknown effort \(effort); no thinking requested"))
            return nil
        }
        return budget
    }

    /// Function tools -> Anthropic tools; `tool_choice` and
    /// `parallel_tool_calls: false` -> `tool_choice`. Hosted tools (web
    /// search, file search, computer use...) run at OpenAI and cannot run
    /// elsewhere, so they are dropped with a warning.
    mutating func addTools(to body: inout JSONObject) {
        var tools: [JSONValue] = []
        for (index, tool) in (request["tools"]?.arrayValue ?? []).enumerated() {
            let path = "/tools/\(index)"
            guard tool["type"]?.stringValue == "function", let name = tool["name"]?.stringValue else {
                let type = tool["type"]?.stringValue ?? "untyped"
                diagnostics.append(.warning(path, "\(type) tool cannot run outside OpenAI; dropped"))
                continue
            }
            var anthropic: JSONObject = ["name": .string(name)]
            if let description = tool["description"]?.stringValue { anthropic["description"] = .string(description) }
            anthropic["input_schema"] = tool["parameters"] ?? ["type": "object", "properties": [:]]
            if tool["strict"] != nil {
                // Responses defaults to strict schemas; Anthropic tools take no such flag.
                diagnostics.append(.debug("\(path)/strict", "no Anthropic equivalent; dropped"))
            }
            tools.append(.object(anthropic))
        }
        guard !tools.isEmpty else {
            if request["tool_choice"] != nil {
                diagnostics.append(.debug("/tool_choice", "no function tools to choose from; dropped"))
            }
            return
        }
        body["tools"] = .array(tools)
        var choice = toolChoice()
        if request["parallel_tool_calls"]?.boolValue == false, choice?["type"]?.stringValue != "none" {
            var object = choice?.objectValue ?? ["type": "auto"]
            object["disable_parallel_tool_use"] = true
            choice = .object(object)
        }
        if let choice { body["tool_choice"] = choice }
    }

    private mutating func toolChoice() -> JSONValue? {
        guard let choice = request["tool_choice"], !choice.isNull else { return nil }
        switch choice.stringValue ?? choice["type"]?.stringValue {
        case "auto": return ["type": "auto"]
        case "none": return ["type": "none"]
        case "required": return ["type": "any"]
        case "function":
            if let name = choice["name"]?.stringValue { return ["type": "tool", "name": .string(name)] }
        default:
            break
        }
        diagnostics.append(.warning("/tool_choice", "tool_choice \(choice) has no Anthropic equivalent; dropped"))
        return nil
    }
}
