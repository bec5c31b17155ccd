import Wire

/// A declarative edit of a client's request, applied to it as the pivot
/// (Anthropic Messages) sees it, before it is converted for the upstream:
/// tizee/anthropic-proxy's request plugins as config (`rules:` in
/// models.yaml). Each rule that changes something says so as an `info`
/// diagnostic, so the cassette shows it and `log-replay verify` (which reads
/// the rules from the route line) applies it again.
///
/// Header rules (`set_headers`, `remove_headers`) act on the upstream
/// request, which the proxy builds; they are not here.
public enum RequestRule: Sendable, Hashable {
    /// Tools whose name matches any of these globs are removed (and a
    /// `tool_choice` naming one of them with them).
    case dropTools([GlobPattern])
    /// The value at the pointer is set, objects on the way created.
    case set(JSONPointer, JSONValue)
    /// The value at the pointer is removed.
    case remove(JSONPointer)
    /// Text put before the system prompt.
    case systemPrepend(String)
    /// Text the system prompt must start with: put before it, as its own
    /// block, unless it starts so already (a subscription backend's
    /// required prompt; Claude Code's own requests carry it).
    case systemPrefix(String)

    /// `request` with the rule applied, and the diagnostic when it changed
    /// something; `index` is the rule's place in the route's list.
    func apply(to request: inout JSONValue, index: Int) -> ConversionDiagnostic? {
        let path = "/rules/\(index)"
        switch self {
        case .dropTools(let patterns):
            return dropTools(patterns, from: &request).map {
                .info(path, "rule drop_tools removed \($0.joined(separator: ", "))")
            }
        case .set(let pointer, let value):
            guard pointer.set(value, in: &request) else {
                return .warning(path, "rule set \(pointer): nothing there can hold a value; not applied")
            }
            return .info(path, "rule set \(pointer)")
        case .remove(let pointer):
            return pointer.remove(from: &request) ? .info(path, "rule remove \(pointer)") : nil
        case .systemPrepend(let text):
            request["system"] = SystemPromptText.adding(text, to: request["system"], first: true)
            return .info(path, "rule system_prepend added \(text.count) characters")
        case .systemPrefix(let text):
            let first: String? =
                switch request["system"] {
                case .string(let system)?: system
                case .array(let blocks)?: blocks.first?["text"]?.stringValue
                default: nil
                }
            if first?.hasPrefix(text) == true { return nil }
            var blocks: [JSONValue] = [["type": "text", "text": .string(text)]]
            switch request["system"] {
            case .string(let system)?: blocks.append(["type": "text", "text": .string(system)])
            case .array(let given)?: blocks += given
            default: break
            }
            request["system"] = .array(blocks)
            return .info(path, "the system prompt now starts with what the backend requires")
        }
    }

    /// The names removed, or nil when none matched.
    private func dropTools(_ patterns: [GlobPattern], from request: inout JSONValue) -> [String]? {
        guard case .array(let tools)? = request["tools"] else { return nil }
        var kept: [JSONValue] = []
        var dropped: [String] = []
        for tool in tools {
            if let name = tool["name"]?.stringValue, patterns.contains(where: { $0.matches(name) }) {
                dropped.append(name)
            } else {
                kept.append(tool)
            }
        }
        guard !dropped.isEmpty else { return nil }
        if kept.isEmpty {
            request["tools"] = nil
            request["tool_choice"] = nil
        } else {
            request["tools"] = .array(kept)
            if let chosen = request["tool_choice"]?["name"]?.stringValue, dropped.contains(chosen) {
                request["tool_choice"] = nil
            }
        }
        return dropped
    }
}

extension RequestRule {
    /// `request` with every rule applied in order, and their diagnostics.
    static func apply(_ rules: [RequestRule], to request: inout JSONValue) -> [ConversionDiagnostic] {
        rules.enumerated().compactMap { index, rule in rule.apply(to: &request, index: index) }
    }

    /// Whether the rule may set or remove the request's top-level `member`
    /// (or anything in it), so one who needs that member must read it from
    /// the request with the rules applied, not from the client's own.
    func mayChange(member: String) -> Bool {
        switch self {
        case .set(let pointer, _), .remove(let pointer): pointer.tokens.first.map { $0 == member } ?? true
        case .dropTools, .systemPrepend, .systemPrefix: false
        }
    }
}

/// A rule is written as in models.yaml, one key per rule:
/// `{"drop_tools": ["WebSearch"]}`, `{"set": {"/temperature": 0.2}}`,
/// `{"remove": "/metadata"}`, `{"system_prepend": "..."}`.
extension RequestRule: Codable {
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        guard case .object(let object) = json, let member = object.members.first, object.members.count == 1 else {
            throw Self.decodingError(decoder, "a rule is an object with one key")
        }
        switch (member.key, member.value) {
        case ("drop_tools", .array(let names)):
            self = .dropTools(names.compactMap(\.stringValue).map(GlobPattern.init))
        case ("set", .object(let pair)):
            guard let set = pair.members.first, pair.members.count == 1, let pointer = JSONPointer(set.key) else {
                throw Self.decodingError(decoder, "set holds one pointer and its value")
            }
            self = .set(pointer, set.value)
        case ("remove", .string(let text)):
            guard let pointer = JSONPointer(text) else { throw Self.decodingError(decoder, "remove: not a pointer") }
            self = .remove(pointer)
        case ("system_prepend", .string(let text)):
            self = .systemPrepend(text)
        case ("system_prefix", .string(let text)):
            self = .systemPrefix(text)
        default:
            throw Self.decodingError(decoder, "unknown rule \(member.key)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// The rule as the route line records it.
    public var json: JSONValue {
        switch self {
        case .dropTools(let patterns): ["drop_tools": .array(patterns.map { .string($0.text) })]
        case .set(let pointer, let value): ["set": .object(JSONObject([.init(key: pointer.text, value: value)]))]
        case .remove(let pointer): ["remove": .string(pointer.text)]
        case .systemPrepend(let text): ["system_prepend": .string(text)]
        case .systemPrefix(let text): ["system_prefix": .string(text)]
        }
    }

    private static func decodingError(_ decoder: any Decoder, _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
    }
}
