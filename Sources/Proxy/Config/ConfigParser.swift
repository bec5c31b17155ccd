import Cassette
import Convert
import Foundation
import Wire
import Yams

/// Walks the YAML node tree of `models.yaml`, so every error can point at the
/// line of the node that caused it.
struct ConfigParser {
    let file: String
    let environment: [String: String]
    /// What was noticed on the way and does not stop start-up.
    var warnings: [ConfigWarning] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    static let topLevelFields = [
        "models", "aliases", "default", "rules", "router", "allowed_hosts", "allowed_origins",
    ]
    static let entryFields = [
        "model_id", "model_name", "api_base", "format", "api_key", "auth", "max_tokens", "context", "extra_headers",
        "extra_body", "reasoning_effort", "temperature", "timeout", "max_stream_duration", "aliases", "rules",
        "fallback", "structured_output", "max_tokens_field", "reasoning_model", "reasoning_content",
        "chat_server",
        // tizee/anthropic-proxy's own fields, read as they mean there.
        "max_input_tokens", "can_stream", "direct", "provider", "api_key_name",
    ]

    /// How the file is laid out: ours (a mapping with `models:`), or
    /// tizee/anthropic-proxy's (the file is the list of entries), where
    /// `model_name` and `format` may be left out as they may there.
    enum EntryLayout {
        case mapping
        case list
    }

    mutating func parse(_ text: String) throws(ConfigError) -> ProxyConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            throw yamlSyntaxError(error)
        }
        guard let root else {
            throw failure(
                at: nil, "the config is empty",
                fix: "Start the file with `models:` followed by a list of entries (see `proxy config init`).")
        }
        // tizee/anthropic-proxy's layout: the file is the list of entries,
        // with no aliases or default.
        let layout: EntryLayout
        let top: Node.Mapping
        let entries: [Node]
        switch root {
        case .sequence(let items):
            guard !items.isEmpty else {
                throw failure(
                    at: root, "the list of models is empty", fix: "Add an entry starting with `- model_id: ...`.")
            }
            (layout, top, entries) = (.list, Node.Mapping([], Tag(.map, .basic, .default)), Array(items))
        case .mapping(let mapping):
            try checkFields(of: mapping, allowed: Self.topLevelFields, what: "top-level")
            guard let modelsNode = mapping["models"] else {
                throw failure(
                    at: root, "there is no `models:` list",
                    fix: "Add `models:` with at least one entry (model_id, model_name, api_base, format).")
            }
            guard case .sequence(let items) = modelsNode, !items.isEmpty else {
                throw failure(
                    at: modelsNode, "`models` must be a non-empty list",
                    fix: "Write each entry as a list item starting with `- model_id: ...`.")
            }
            (layout, top, entries) = (.mapping, mapping, Array(items))
        default:
            throw failure(
                at: root, "the config is not a mapping",
                fix: "Start the file with `models:` followed by a list of entries (see the default config).")
        }
        let globalRules = try top["rules"].map { node throws(ConfigError) in try rules(node) } ?? ConfiguredRules()
        var models: [ModelEntry] = []
        for entryNode in entries {
            var entry = try modelEntry(entryNode, layout: layout)
            entry.rules = globalRules.followed(by: entry.rules)
            if models.contains(where: { $0.modelID == entry.modelID }) {
                throw failure(
                    at: entryNode, "model_id `\(entry.modelID)` is defined twice",
                    fix: "Give each entry its own model_id; use `aliases` to serve several names from one entry.")
            }
            models.append(entry)
        }
        let known = models.map(\.modelID)
        for (index, entryNode) in entries.enumerated() {
            models[index].fallback = try fallbackList(entryNode, of: models[index].modelID, known: known)
        }

        var aliases: [ModelAlias] = []
        // An alias another one of the same pattern comes before can never
        // match (a tie goes to an entry's own aliases, then file order): said
        // at load, where it looked live.
        var aliasOwners: [String: String] = [:]
        func noteAlias(_ pattern: String, of modelID: String, at node: Node?) {
            guard let owner = aliasOwners[pattern] else {
                aliasOwners[pattern] = modelID
                return
            }
            guard owner != modelID else { return }
            warnings.append(
                ConfigWarning(
                    file: file, line: node?.mark?.line, column: node?.mark?.column,
                    message: "alias `\(pattern)` -> \(modelID) never matches: entry `\(owner)` has the same alias, "
                        + "which wins the tie (an entry's own aliases come before the top-level map, then file order)"))
        }
        for entry in models {
            for pattern in entry.aliases { noteAlias(pattern, of: entry.modelID, at: nil) }
        }
        if let aliasesNode = top["aliases"] {
            guard case .mapping(let aliasMap) = aliasesNode else {
                throw failure(
                    at: aliasesNode, "`aliases` must be a mapping of glob pattern to model_id",
                    fix: "Write it as `aliases:` then lines like `  \"claude-*haiku*\": fast`.")
            }
            for (patternNode, targetNode) in aliasMap {
                let pattern = try nonEmptyString(patternNode, field: "aliases")
                let target = try nonEmptyString(targetNode, field: "aliases.\(pattern)")
                try requireKnown(target, in: known, at: targetNode, field: "aliases.\(pattern)")
                aliases.append(ModelAlias(pattern: pattern, modelID: target))
                noteAlias(pattern, of: target, at: patternNode)
            }
        }

        var defaultModelID: String?
        if let defaultNode = top["default"], !defaultNode.isNull {
            let target = try nonEmptyString(defaultNode, field: "default")
            try requireKnown(target, in: known, at: defaultNode, field: "default")
            defaultModelID = target
        }
        var config = ProxyConfig(models: models, aliases: aliases, defaultModelID: defaultModelID, file: file)
        config.rules = globalRules
        if let routerNode = top["router"] { config.scenarios = try scenarioRoutes(routerNode, known: known) }
        if let node = top["allowed_hosts"], !node.isNull { config.allowedHosts = try allowedHosts(node) }
        if let node = top["allowed_origins"], !node.isNull { config.allowedOrigins = try allowedOrigins(node) }
        config.warnings = warnings
        return config
    }

    // MARK: Fields

    func apiBase(_ node: Node) throws(ConfigError) -> String {
        var base = try expanded(try nonEmptyString(node, field: "api_base"), at: node)
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw failure(
                at: node, "`api_base` \"\(base)\" is not an http(s) URL",
                fix: "Write the upstream's base URL, e.g. https://api.openai.com/v1 or https://api.anthropic.com.")
        }
        // Keys go in the dialect's key header (see UpstreamEndpoint), never
        // in a URL, which ends up in logs. Other parameters (Azure's
        // api-version) are kept and sent after the path.
        let parameters = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        if let secret = parameters.first(where: { Redactor.isSecretName($0.name) }) {
            throw failure(
                at: node, "`api_base` carries a key in its query (`\(secret.name)=`)",
                fix: "Remove `\(secret.name)=...` from the URL and write the key as `api_key:`; it is sent in a header."
            )
        }
        let query = base.firstIndex(of: "?").map { String(base[$0...]) } ?? ""
        base.removeLast(query.count)
        while base.hasSuffix("/") { base.removeLast() }
        return base + query
    }

    func format(_ node: Node) throws(ConfigError) -> Dialect {
        let text = try nonEmptyString(node, field: "format")
        if let dialect = FormatName.dialect(text) { return dialect }
        let likely = FormatName.suggestion(for: text) ?? FormatName.all.first { Spelling.looksAlike($0.rawValue, text) }
        let guess = likely.map { "Did you mean `\($0.rawValue)`? " } ?? ""
        throw failure(at: node, "unknown format `\(text)`", fix: "\(guess)Use one of \(FormatName.reference).")
    }

    func tokenCount(_ node: Node, field: String) throws(ConfigError) -> Int {
        guard let count = TokenCountLiteral.parse(try nonEmptyString(node, field: field)), count > 0 else {
            throw failure(
                at: node, "`\(field)` is not a token count",
                fix: "Write a whole number or a size such as 8192, 8K, 200k or 1M.")
        }
        return count
    }

    func headers(_ node: Node) throws(ConfigError) -> [(name: String, value: String)] {
        guard case .mapping(let mapping) = node else {
            throw failure(
                at: node, "`extra_headers` must be a mapping of header name to value",
                fix: "Write it as `extra_headers: {HTTP-Referer: https://example.com}`.")
        }
        var result: [(name: String, value: String)] = []
        for (nameNode, valueNode) in mapping {
            let name = try nonEmptyString(nameNode, field: "extra_headers")
            let value = try expanded(try nonEmptyString(valueNode, field: "extra_headers.\(name)"), at: valueNode)
            result.append((name, try notAFingerprint(value, field: name, at: valueNode)))
        }
        return result
    }

    /// `value`, unless it is a key's fingerprint (`[redacted:1a2b3c4d]`):
    /// `proxy config print` writes one for every key, and its output saved
    /// as the config loaded without a word and sent the fingerprint
    /// upstream as the key, for a 401 from the provider.
    func notAFingerprint(_ value: String, field: String, at node: Node) throws(ConfigError) -> String {
        guard Redactor.isFingerprint(value) else { return value }
        throw failure(
            at: node, "`\(field)` is `\(value)`, a key's fingerprint as `proxy config print` shows it, not a key",
            fix: "Write the key itself, or `${VARIABLE}` to read it from the environment "
                + "(`proxy config print --show-api-keys` prints keys as they are).")
    }

    func stringList(_ node: Node, field: String) throws(ConfigError) -> [String] {
        switch node {
        case .scalar: return [try nonEmptyString(node, field: field)]
        case .sequence(let items):
            var strings: [String] = []
            for item in items { strings.append(try nonEmptyString(item, field: field)) }
            return strings
        default:
            throw failure(
                at: node, "`\(field)` must be a list of strings", fix: "Write it as `\(field): [\"a*\", \"b\"]`.")
        }
    }

    // MARK: Nodes

    func required(_ field: String, in mapping: Node.Mapping, at node: Node) throws(ConfigError) -> Node {
        guard let value = mapping[field] else {
            let id = mapping["model_id"]?.string.map { " `\($0)`" } ?? ""
            throw failure(
                at: node, "model entry\(id) has no `\(field)`",
                fix: "Add `\(field): ...` to it. \(Self.hint(for: field))")
        }
        return value
    }

    func nonEmptyString(_ node: Node, field: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !node.isNull else {
            throw failure(
                at: node, "`\(field)` must be a single value", fix: "Write it on one line: `\(field): VALUE`.")
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            throw failure(at: node, "`\(field)` is empty", fix: "Give it a value or remove the line.")
        }
        return text
    }

    func expanded(_ text: String, at node: Node) throws(ConfigError) -> String {
        do {
            return try EnvironmentInterpolation.expand(text, environment: environment)
        } catch let error as EnvironmentInterpolation.UndefinedVariable {
            throw failure(
                at: node, "environment variable `\(error.name)` is not set",
                fix: "Export it before starting the proxy (export \(error.name)=...), or write the value in the file.")
        } catch is EnvironmentInterpolation.NotAName {
            throw failure(
                at: node,
                "a `${...}` reference holds no environment variable's name (letters, digits and `_`; "
                    + "not shown, as it may be the key itself)",
                fix: "Write the variable's name there, e.g. ${OPENROUTER_API_KEY}, or the value itself without ${}.")
        } catch {
            throw failure(at: node, "malformed `${...}` reference", fix: "Write environment references as ${NAME}.")
        }
    }

    func json(_ node: Node) throws(ConfigError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch node.coreSchemaTag {
            case .null: return .null
            case .bool: if let bool = YAMLCoreSchema.bool(scalar.string) { return .bool(bool) }
            case .int: if let int = YAMLCoreSchema.int(node) { return .int(Int64(int)) }
            case .float: if let double = node.float { return .double(double) }
            default: break
            }
            return .string(scalar.string)
        case .sequence(let items):
            var array: [JSONValue] = []
            for item in items { array.append(try json(item)) }
            return .array(array)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping { object[try nonEmptyString(key, field: "extra_body")] = try json(value) }
            return .object(object)
        case .alias:
            throw failure(at: node, "YAML aliases (*name) are not supported here", fix: "Write the value out in full.")
        }
    }

    /// A field that looks like a known one misspelt (`api-key`) is an
    /// error: ignoring it would quietly change what the route does (the
    /// client's key sent instead of the route's). Any other unknown field
    /// (another proxy's, a newer version's) is a warning naming its line.
    mutating func checkFields(
        of mapping: Node.Mapping, allowed: [String], what: String
    ) throws(ConfigError) {
        for key in mapping.keys {
            let name = key.string ?? ""
            guard !allowed.contains(name) else { continue }
            if let meant = allowed.first(where: { Spelling.looksAlike($0, name) }) {
                throw failure(
                    at: key, "unknown \(what) field `\(name)`",
                    fix: "Did you mean `\(meant)`? Known fields: \(allowed.joined(separator: ", ")).")
            }
            warnings.append(
                ConfigWarning(
                    file: file, line: key.mark?.line, column: key.mark?.column,
                    message: "unknown \(what) field `\(name)` is ignored (known fields: "
                        + "\(allowed.joined(separator: ", ")))"))
        }
    }

    func requireKnown(_ id: String, in known: [String], at node: Node, field: String) throws(ConfigError) {
        guard !known.contains(id) else { return }
        throw failure(
            at: node, "`\(field)` names model_id `\(id)`, which no entry defines",
            fix: "Use one of: \(known.joined(separator: ", ")).")
    }

    // MARK: Errors

    func failure(at node: Node?, _ problem: String, fix: String) -> ConfigError {
        // libyaml can place a block mapping's start mark on the blank line
        // before it; its first key is where a reader looks.
        var mark = node?.mark
        if case .mapping(let mapping)? = node, let firstKey = mapping.first?.key.mark { mark = firstKey }
        return ConfigError(file: file, line: mark?.line, column: mark?.column, problem: problem, fix: fix)
    }

    func yamlSyntaxError(_ error: any Error) -> ConfigError {
        let fix = "Fix the YAML syntax there (indentation, a missing `:`, or an unclosed quote or bracket)."
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigError(
                file: file, line: mark.line, column: mark.column, problem: "invalid YAML: \(detail)", fix: fix)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(
                file: file, line: context.mark.line, column: context.mark.column,
                problem: "duplicate keys \(duplicates.joined(separator: ", "))", fix: "Keep one of each key.")
        default:
            return ConfigError(file: file, problem: "invalid YAML: \(error)", fix: fix)
        }
    }

    static func hint(for field: String) -> String {
        switch field {
        case "model_id": "It is the name clients send as `model`."
        case "model_name": "It is the upstream's own name for the model, e.g. gpt-4o-mini."
        case "api_base": "It is the upstream's base URL, e.g. https://api.openai.com/v1."
        case "format": "Use one of \(FormatName.reference)."
        default: ""
        }
    }
}
