import Wire

/// OpenAI's `tool_choice: {"type": "allowed_tools", ...}`: the model may
/// call only the named tools, among all the request's tools (sent whole so
/// a prompt cache holds). Chat Completions nests it
/// (`allowed_tools: {mode, tools: [{type: function, function: {name}}]}`),
/// Responses does not (`mode`, `tools: [{type: function, name}]`).
///
/// Anthropic has no such subset, so the pivot gets the tools narrowed to
/// the allowed ones, and `mode` as its choice: `required` is `any` (one
/// allowed tool: that tool), `auto` is `auto`. Dropping the choice made a
/// `required` answer optional, and the model free to call any tool.
struct AllowedToolChoice: Equatable {
    /// The allowed function tools' names, in the client's order.
    var names: [String]
    /// `mode: required`: a tool must be called.
    var required: Bool

    /// Reads the choice's `mode` and `tools` from `members` (Chat's
    /// `allowed_tools` object, or Responses' choice itself).
    /// - Parameters:
    ///   - field: where the members are, for errors (`tool_choice.allowed_tools`).
    ///   - name: an allowed tool's function name (Chat's `function.name`, Responses' `name`).
    ///   - skipped: an allowed tool that is not a function (a hosted tool), at its index.
    init(
        _ members: JSONValue?, field: String, name: (JSONValue) -> String?, skipped: (Int, JSONValue) -> Void
    ) throws(APIError) {
        guard let members, members.objectValue != nil else {
            throw .invalidRequest("\(field) is required and must be an object")
        }
        switch members["mode"]?.stringValue {
        case "auto": required = false
        case "required": required = true
        default:
            throw .invalidRequest(
                "\(field).mode must be auto or required, got \(members["mode"]?.serializedString() ?? "nothing")")
        }
        guard let tools = members["tools"]?.arrayValue else {
            throw .invalidRequest("\(field).tools is required and must be an array")
        }
        names = []
        for (index, tool) in tools.enumerated() {
            guard tool["type"]?.stringValue ?? "function" == "function" else {
                skipped(index, tool)
                continue
            }
            guard let toolName = name(tool) else {
                throw .invalidRequest("\(field).tools[\(index)] names no function")
            }
            names.append(toolName)
        }
    }

    /// Narrows `tools` (Anthropic tools) to the allowed ones and sets
    /// `choice` to the Anthropic `tool_choice` for them; returns the note
    /// saying how many tools the upstream is given. Throws, changing
    /// nothing, when none of the tools is allowed, as there is then nothing
    /// the model may call.
    /// - Parameter field: where the choice's members are, for errors.
    func apply(
        to tools: inout [JSONValue], choice: inout JSONValue?, field: String
    ) throws(APIError)
        -> ConversionDiagnostic
    {
        let allowed = Set(names)
        let kept = tools.filter { allowed.contains($0["name"]?.stringValue ?? "") }
        guard !kept.isEmpty else {
            throw .invalidRequest("\(field).tools names none of the request's function tools")
        }
        let note = ConversionDiagnostic.info(
            "/tool_choice", "allowed_tools: the upstream is given the \(kept.count) allowed of \(tools.count) tools")
        tools = kept
        choice = anthropicChoice(for: kept)
        return note
    }

    /// The Anthropic `tool_choice` for the narrowed tools: one named tool
    /// only when a single tool is both allowed and kept (two request tools
    /// sharing the allowed name leave the model a choice).
    private func anthropicChoice(for narrowed: [JSONValue]) -> JSONValue {
        guard required else { return ["type": "auto"] }
        return narrowed.count == 1 && names.count == 1 ? ["type": "tool", "name": .string(names[0])] : ["type": "any"]
    }
}
