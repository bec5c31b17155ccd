import Wire

/// Tools: OpenAI function definitions and tool choice to Anthropic's, the
/// legacy `functions` and `function_call` too.
extension OpenAIChatRequestDecoder {
    mutating func addTools(to body: inout JSONObject) throws(APIError) {
        var tools: [JSONValue] = []
        switch request["tools"] {
        case nil, .null?: break
        case .array(let definitions)?:
            for (index, definition) in definitions.enumerated() {
                if let tool = try tool(definition, field: "tools[\(index)]", path: "/tools/\(index)") {
                    tools.append(tool)
                }
            }
        case let other?: throw Self.wrongType("tools", "an array", other)
        }
        if let functions = try legacyFunctions() {
            guard tools.isEmpty else {
                throw .invalidRequest("functions and tools cannot both be given; send tools (functions is deprecated)")
            }
            tools = functions
        }
        var choice = try toolChoice()
        if case .object(let object)? = request["tool_choice"], object["type"]?.stringValue == "allowed_tools" {
            let field = "tool_choice.allowed_tools"
            let allowed = try AllowedToolChoice(
                object["allowed_tools"], field: field, name: { $0["function"]?["name"]?.stringValue },
                skipped: { index, tool in
                    diagnostics.append(
                        .warning(
                            "/tool_choice/allowed_tools/tools/\(index)",
                            "\(tool["type"]?.stringValue ?? "?") tool has no Anthropic form; not allowed"))
                })
            try diagnostics.append(allowed.apply(to: &tools, choice: &choice, field: field))
        }
        if !tools.isEmpty { body["tools"] = .array(tools) }
        if choice == nil { choice = try legacyFunctionCall() }
        // A legacy answer has room for one `function_call`.
        if request["parallel_tool_calls"]?.boolValue == false || OpenAIChatClientCodec.answersWithFunctionCall(request)
        {
            // Anthropic puts the flag on tool_choice; `none` takes no flag.
            var object = choice?.objectValue ?? ["type": "auto"]
            if object["type"]?.stringValue != "none" {
                object["disable_parallel_tool_use"] = true
                choice = .object(object)
            }
        }
        if let choice {
            if tools.isEmpty {
                diagnostics.append(.debug("/tool_choice", "no tools to choose from; dropped"))
            } else {
                body["tool_choice"] = choice
            }
        }
    }

    private mutating func tool(_ definition: JSONValue, field: String, path: String) throws(APIError) -> JSONValue? {
        guard definition.objectValue != nil else { throw Self.wrongType(field, "an object", definition) }
        guard definition["type"]?.stringValue ?? "function" == "function" else {
            diagnostics.append(
                .warning(path, "tool type \(definition["type"]?.stringValue ?? "?") has no Anthropic form; dropped"))
            return nil
        }
        guard let function = definition["function"]?.objectValue else {
            throw .invalidRequest("\(field).function is required and must be an object")
        }
        return try functionTool(function, field: "\(field).function")
    }

    /// A function definition (`{name, description, parameters}`: a tool's
    /// `function`, or an entry of the legacy `functions`) as an Anthropic tool.
    private func functionTool(_ function: JSONObject, field: String) throws(APIError) -> JSONValue {
        guard let name = function["name"]?.stringValue else {
            throw .invalidRequest("\(field).name is required and must be a string")
        }
        var tool: JSONObject = ["name": .string(name)]
        if let description = function["description"]?.stringValue { tool["description"] = .string(description) }
        tool["input_schema"] = function["parameters"] ?? ["type": "object", "properties": [:]]
        // Anthropic's tools hold to their schema as OpenAI's do; unset is
        // not strict in both.
        if let strict = function["strict"]?.boolValue { tool["strict"] = .bool(strict) }
        return .object(tool)
    }

    /// The legacy `functions` (what `tools` replaced) as Anthropic tools;
    /// nil when the request has none.
    private mutating func legacyFunctions() throws(APIError) -> [JSONValue]? {
        switch request["functions"] {
        case nil, .null?: return nil
        case .array(let definitions)?:
            var tools: [JSONValue] = []
            for (index, definition) in definitions.enumerated() {
                guard let function = definition.objectValue else {
                    throw Self.wrongType("functions[\(index)]", "an object", definition)
                }
                tools.append(try functionTool(function, field: "functions[\(index)]"))
            }
            return tools
        case let other?: throw Self.wrongType("functions", "an array", other)
        }
    }

    /// The legacy `function_call` (what `tool_choice` replaced): `none`,
    /// `auto` or `{"name"}`.
    private func legacyFunctionCall() throws(APIError) -> JSONValue? {
        switch request["function_call"] {
        case nil, .null?: return nil
        case .string("auto")?: return ["type": "auto"]
        case .string("none")?: return ["type": "none"]
        case .object(let object)?:
            guard let name = object["name"]?.stringValue else {
                throw .invalidRequest("function_call.name is required and must be a string")
            }
            return ["type": "tool", "name": .string(name)]
        case let other?:
            throw .invalidRequest("function_call must be auto, none or {name}, got \(other.serializedString())")
        }
    }

    /// `auto`, `none`, `required` (Anthropic's `any`) or one named function.
    private func toolChoice() throws(APIError) -> JSONValue? {
        if request["tool_choice"].map({ !$0.isNull }) == true, request["function_call"].map({ !$0.isNull }) == true {
            throw .invalidRequest(
                "function_call and tool_choice cannot both be given; send tool_choice (function_call is deprecated)")
        }
        switch request["tool_choice"] {
        case nil, .null?: return nil
        case .string("auto")?: return ["type": "auto"]
        case .string("none")?: return ["type": "none"]
        case .string("required")?: return ["type": "any"]
        case .object(let object)? where object["type"]?.stringValue == "allowed_tools":
            return nil  // read with the tools it narrows, in addTools
        case .object(let object)?:
            guard let name = object["function"]?["name"]?.stringValue else {
                throw .invalidRequest("tool_choice.function.name is required and must be a string")
            }
            return ["type": "tool", "name": .string(name)]
        case let other?:
            throw .invalidRequest(
                "tool_choice must be auto, none, required, {type: function, function: {name}} or allowed_tools, got \(other.serializedString())"
            )
        }
    }
}
