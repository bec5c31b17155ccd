import Convert
import Wire
import Yams

/// `rules:`, at the top level (every entry) or in an entry (that entry,
/// after the top-level ones): a list of one-key mappings.
///
/// ```yaml
/// rules:
///   - drop_tools: [WebSearch, "Notebook*"]
///   - set: {/temperature: 0.2}
///   - remove: [/metadata]
///   - system_prepend: "Answer in English."
///   - set_headers: {x-team: infra}
///   - remove_headers: [anthropic-beta]
/// ```
extension ConfigParser {
    static let ruleNames = ["drop_tools", "set", "remove", "system_prepend", "set_headers", "remove_headers"]

    func rules(_ node: Node) throws(ConfigError) -> ConfiguredRules {
        guard case .sequence(let items) = node else {
            throw failure(
                at: node, "`rules` must be a list",
                fix: "Write each rule as a list item, e.g. `- drop_tools: [WebSearch]`.")
        }
        var rules = ConfiguredRules()
        for item in items {
            guard case .mapping(let mapping) = item else {
                throw failure(
                    at: item, "a rule is not a mapping",
                    fix: "Write a rule as `- NAME: VALUE`, NAME one of \(Self.ruleNames.joined(separator: ", ")).")
            }
            for (keyNode, value) in mapping {
                // Unlike an unknown field, an unknown rule is an error: a
                // rule that silently does nothing is worse than none.
                let name = keyNode.string ?? ""
                guard Self.ruleNames.contains(name) else {
                    throw failure(
                        at: keyNode, "unknown rule `\(name)`",
                        fix: "Rules are: \(Self.ruleNames.joined(separator: ", ")).")
                }
                try add(name, value, to: &rules)
            }
        }
        return rules
    }

    private func add(_ name: String, _ value: Node, to rules: inout ConfiguredRules) throws(ConfigError) {
        switch name {
        case "drop_tools":
            rules.body.append(.dropTools(try stringList(value, field: "drop_tools").map(GlobPattern.init)))
        case "set":
            guard case .mapping(let pairs) = value else {
                throw failure(
                    at: value, "`set` must map JSON pointers to values", fix: "Write e.g. `set: {/temperature: 0.2}`.")
            }
            for (pointerNode, valueNode) in pairs {
                rules.body.append(.set(try pointer(pointerNode, rule: "set"), try json(valueNode)))
            }
        case "remove":
            let pointers: [Node] = if case .sequence(let list) = value { Array(list) } else { [value] }
            for pointerNode in pointers { rules.body.append(.remove(try pointer(pointerNode, rule: "remove"))) }
        case "system_prepend":
            rules.body.append(.systemPrepend(try nonEmptyString(value, field: "system_prepend")))
        case "set_headers":
            rules.headers += try headers(value).map { HeaderRule.set(name: $0.name, value: $0.value) }
        default:  // remove_headers, the only name left
            rules.headers += try stringList(value, field: "remove_headers").map { HeaderRule.remove(name: $0) }
        }
    }

    private func pointer(_ node: Node, rule: String) throws(ConfigError) -> JSONPointer {
        let text = try nonEmptyString(node, field: rule)
        guard let pointer = JSONPointer(text) else {
            throw failure(
                at: node, "`\(text)` is not a JSON pointer",
                fix: "Start it with `/`, a step per level: `/temperature`, `/metadata/user_id`, `/tools/0`.")
        }
        return pointer
    }
}

/// The rules of one scope: edits of the request body (Convert applies them)
/// and of the upstream request's headers (the proxy does).
public struct ConfiguredRules: Sendable, Hashable {
    public var body: [RequestRule] = []
    public var headers: [HeaderRule] = []

    /// These rules, then `other`'s.
    func followed(by other: ConfiguredRules) -> ConfiguredRules {
        ConfiguredRules(body: body + other.body, headers: headers + other.headers)
    }

    /// What is left after `prefix`'s rules, when these begin with them (an
    /// entry's own rules, its rules beginning with the top-level ones);
    /// else all of them.
    func dropping(_ prefix: ConfiguredRules) -> ConfiguredRules {
        guard body.starts(with: prefix.body), headers.starts(with: prefix.headers) else { return self }
        return ConfiguredRules(
            body: Array(body.dropFirst(prefix.body.count)), headers: Array(headers.dropFirst(prefix.headers.count)))
    }
}
