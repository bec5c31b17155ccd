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
            // Carried as the client said it: the Chat and Anthropic upstreams
            // hold a tool to its schema only when told so, and a Responses
            // upstream is told `strict: false` for a tool that says nothing
            // (its own default, strict, refuses most schemas).
            if let strict = tool["strict"]?.boolValue { anthropic["strict"] = .bool(strict) }
            tools.append(.object(anthropic))
        }
        guard !tools.isEmpty else {
            if request["tool_choice"] != nil {
                diagnostics.append(.debug("/tool_choice", "no function tools to choose from; dropped"))
            }
            return
        }
        var choice = toolChoice()
        if let choiceObject = request["tool_choice"], choiceObject["type"]?.stringValue == "allowed_tools" {
            do {
                let allowed = try AllowedToolChoice(
                    choiceObject, field: "tool_choice", name: { $0["name"]?.stringValue },
                    skipped: { index, tool in
                        diagnostics.append(
                            .warning(
                                "/tool_choice/tools/\(index)",
                                "\(tool["type"]?.stringValue ?? "?") tool cannot run outside OpenAI; not allowed"))
                    })
                try diagnostics.append(allowed.apply(to: &tools, choice: &choice, field: "tool_choice"))
            } catch {
                // This decoder warns where the Chat one refuses; but never by
                // widening: the client allowed none of these tools.
                choice = ["type": "none"]
                diagnostics.append(.warning("/tool_choice", "\(error.message); no function tool may be called"))
            }
        }
        body["tools"] = .array(tools)
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
        case "allowed_tools": return nil  // read with the tools it narrows, in addTools
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
