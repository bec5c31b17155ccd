import Wire

/// One converted request's tool names as its upstream takes them
/// (``UpstreamToolName``), and the way back for the answer's calls.
///
/// Built from the request's tool list alone, the same for the request on
/// its way up and for its answer (streamed or not), so no state outlives
/// the exchange: a name the upstream takes is kept; one it refuses gets its
/// characters replaced, or, when that is too long or another tool's name,
/// a hashed name. Every place the pivot names a tool is renamed alike (the
/// list, `tool_choice`, the calls in the history), and the calls in the
/// answer get the client's names back. Empty, and free, when every name
/// fits, as nearly always.
struct UpstreamToolNames: Sendable {
    /// The upstream whose rule the names are fitted to; nil for a
    /// pass-through, whose names all go as the client wrote them.
    let upstream: Dialect?
    /// Original name -> the name sent up, for the names that change.
    private var fittedNames: [String: String] = [:]
    /// Sent name -> the original one.
    private var originalNames: [String: String] = [:]
    /// The names of the list sent unchanged, which a fitted name must not take.
    private var keptNames: Set<String> = []
    /// The list's names as the client wrote them: a name outside the list
    /// fitted alone must not take one, even when every one of them fits
    /// (``keptNames`` is then not made).
    private var listNames: [String] = []

    /// Names for a pass-through, which go up as the client wrote them.
    static let unchanged = UpstreamToolNames()

    private init() {
        upstream = nil
    }

    /// - Parameter tools: the pivot's `tools` (an Anthropic request's).
    init(tools: JSONValue?, upstream: Dialect) {
        self.upstream = upstream
        let names = (tools?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        listNames = names
        guard names.contains(where: { !UpstreamToolName.isValid($0, for: upstream) }) else { return }
        keptNames = Set(names.filter { UpstreamToolName.isValid($0, for: upstream) })
        let refused = Set(names).subtracting(keptNames)
        // Two refused names whose replaced characters give the same name
        // (`files.read`, `files:read`) both get hashed names: neither order
        // of the list decides which keeps the plain one.
        var candidates: [String: Int] = [:]
        for name in refused {
            candidates[UpstreamToolName.replacingCharacters(of: name, for: upstream), default: 0] += 1
        }
        let kept = keptNames
        for name in refused {
            let fitted = UpstreamToolName.fitted(name, for: upstream) { candidate in
                kept.contains(candidate) || candidates[candidate, default: 0] > 1
            }
            fittedNames[name] = fitted
            originalNames[fitted] = name
        }
    }

    /// Whether any name of the list is sent changed.
    var changesAny: Bool { !fittedNames.isEmpty }

    /// The name sent up for `name`: the list's fitted one, or, for a name
    /// outside the list (an earlier turn's call of a tool since removed),
    /// one fitted alone, kept off the list's names.
    func fitted(_ name: String) -> String {
        guard let upstream else { return name }
        if let fitted = fittedNames[name] { return fitted }
        // Rare (an earlier turn's call of a removed tool whose name is refused): the list is searched.
        return UpstreamToolName.fitted(name, for: upstream) { listNames.contains($0) || originalNames[$0] != nil }
    }

    /// The client's name for a tool the upstream called `name`.
    func original(of name: String) -> String {
        originalNames[name] ?? name
    }

    /// Renames the pivot's tools, its `tool_choice` and the calls in its
    /// history to the upstream's names, noting each tool renamed (info).
    /// Nothing is copied when every name fits.
    func fit(_ request: inout JSONObject) -> [ConversionDiagnostic] {
        guard let upstream else { return [] }
        var diagnostics: [ConversionDiagnostic] = []
        if changesAny, case .array(var tools) = request["tools"] {
            for index in tools.indices {
                guard let name = tools[index]["name"]?.stringValue, let fitted = fittedNames[name] else { continue }
                tools[index]["name"] = .string(fitted)
                diagnostics.append(note("/tools/\(index)/name", name, fitted, upstream: upstream))
            }
            request["tools"] = .array(tools)
        }
        if case .object(var choice) = request["tool_choice"], choice["type"]?.stringValue == "tool",
            let name = choice["name"]?.stringValue, fitted(name) != name
        {
            choice["name"] = .string(fitted(name))
            request["tool_choice"] = .object(choice)
        }
        guard case .array(var messages) = request["messages"] else { return diagnostics }
        var renamedAny = false
        for messageIndex in messages.indices {
            guard case .array(var content) = messages[messageIndex]["content"] else { continue }
            var renamed = false
            for blockIndex in content.indices where content[blockIndex]["type"]?.stringValue == "tool_use" {
                guard let name = content[blockIndex]["name"]?.stringValue else { continue }
                let fitted = self.fitted(name)
                guard fitted != name else { continue }
                content[blockIndex]["name"] = .string(fitted)
                renamed = true
                if fittedNames[name] == nil {
                    diagnostics.append(
                        note(
                            "/messages/\(messageIndex)/content/\(blockIndex)/name", name, fitted, upstream: upstream))
                }
            }
            guard renamed else { continue }
            messages[messageIndex]["content"] = .array(content)
            renamedAny = true
        }
        if renamedAny { request["messages"] = .array(messages) }
        return diagnostics
    }

    /// An answer's (Anthropic message's) tool calls under the client's names.
    func restore(in message: inout JSONObject) {
        guard !originalNames.isEmpty, case .array(var content) = message["content"] else { return }
        var renamed = false
        for index in content.indices where content[index]["type"]?.stringValue == "tool_use" {
            guard let name = content[index]["name"]?.stringValue, let original = originalNames[name] else { continue }
            content[index]["name"] = .string(original)
            renamed = true
        }
        if renamed { message["content"] = .array(content) }
    }

    /// A streamed tool call's start under the client's name; any other
    /// event as it is.
    func restored(_ event: AnthropicStreamEvent) -> AnthropicStreamEvent {
        guard case .contentBlockStart(let index, .toolUse(let id, let name, let input)) = event,
            let original = originalNames[name]
        else { return event }
        return .contentBlockStart(index: index, block: .toolUse(id: id, name: original, input: input))
    }

    private func note(_ path: String, _ name: String, _ fitted: String, upstream: Dialect) -> ConversionDiagnostic {
        .info(
            path,
            "tool name \"\(name)\" does not fit \(Self.label(upstream))'s rule for names; sent as \"\(fitted)\", "
                + "and the answer's calls get the original name back")
    }

    private static func label(_ dialect: Dialect) -> String {
        switch dialect {
        case .anthropic: "Anthropic"
        case .openai: "OpenAI Chat Completions"
        case .openaiResponses: "OpenAI Responses"
        case .gemini: "Gemini"
        }
    }
}
