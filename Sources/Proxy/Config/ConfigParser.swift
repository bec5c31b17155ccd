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

    static let topLevelFields = ["models", "aliases", "default", "rules"]
    static let entryFields = [
        "model_id", "model_name", "api_base", "format", "api_key", "max_tokens", "context", "extra_headers",
        "extra_body", "reasoning_effort", "temperature", "timeout", "aliases", "rules",
    ]

    func parse(_ text: String) throws(ConfigError) -> ProxyConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw yamlSyntaxError(error)
        }
        guard let root, case .mapping(let top) = root else {
            throw failure(
                at: root, "the config is not a mapping",
                fix: "Start the file with `models:` followed by a list of entries (see the default config).")
        }
        try checkFields(of: top, allowed: Self.topLevelFields, what: "top-level")

        guard let modelsNode = top["models"] else {
            throw failure(
                at: root, "there is no `models:` list",
                fix: "Add `models:` with at least one entry (model_id, model_name, api_base, format).")
        }
        guard case .sequence(let entries) = modelsNode, !entries.isEmpty else {
            throw failure(
                at: modelsNode, "`models` must be a non-empty list",
                fix: "Write each entry as a list item starting with `- model_id: ...`.")
        }
        let globalRules = try top["rules"].map { node throws(ConfigError) in try rules(node) } ?? ConfiguredRules()
        var models: [ModelEntry] = []
        for entryNode in entries {
            var entry = try modelEntry(entryNode)
            entry.rules = globalRules.followed(by: entry.rules)
            if models.contains(where: { $0.modelID == entry.modelID }) {
                throw failure(
                    at: entryNode, "model_id `\(entry.modelID)` is defined twice",
                    fix: "Give each entry its own model_id; use `aliases` to serve several names from one entry.")
            }
            models.append(entry)
        }
        let known = models.map(\.modelID)

        var aliases: [ModelAlias] = []
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
            }
        }

        var defaultModelID: String?
        if let defaultNode = top["default"] {
            let target = try nonEmptyString(defaultNode, field: "default")
            try requireKnown(target, in: known, at: defaultNode, field: "default")
            defaultModelID = target
        }
        return ProxyConfig(models: models, aliases: aliases, defaultModelID: defaultModelID, file: file)
    }

    private func modelEntry(_ node: Node) throws(ConfigError) -> ModelEntry {
        guard case .mapping(let fields) = node else {
            throw failure(
                at: node, "a `models` item is not a mapping",
                fix: "Write each entry as `- model_id: NAME` followed by its other fields, indented alike.")
        }
        try checkFields(of: fields, allowed: Self.entryFields, what: "model entry")
        let modelID = try nonEmptyString(try required("model_id", in: fields, at: node), field: "model_id")
        let modelName = try nonEmptyString(try required("model_name", in: fields, at: node), field: "model_name")
        let apiBase = try apiBase(try required("api_base", in: fields, at: node))
        let format = try format(try required("format", in: fields, at: node))

        var entry = ModelEntry(
            modelID: modelID, modelName: modelName, apiBase: apiBase, format: format,
            line: fields.first?.key.mark?.line ?? node.mark?.line)
        if let keyNode = fields["api_key"] {
            entry.apiKey = Secret(try expanded(try nonEmptyString(keyNode, field: "api_key"), at: keyNode))
        }
        if let capNode = fields["max_tokens"] { entry.maxTokens = try tokenCount(capNode, field: "max_tokens") }
        if let contextNode = fields["context"] { entry.contextWindow = try tokenCount(contextNode, field: "context") }
        if let headersNode = fields["extra_headers"] { entry.extraHeaders = try headers(headersNode) }
        if let bodyNode = fields["extra_body"] {
            guard case .object(let object) = try json(bodyNode) else {
                throw failure(
                    at: bodyNode, "`extra_body` must be a mapping",
                    fix: "Write the fields to merge into the upstream body, e.g. `extra_body: {top_k: 40}`.")
            }
            entry.extraBody = object
        }
        if let effortNode = fields["reasoning_effort"] {
            entry.reasoningEffort = try nonEmptyString(effortNode, field: "reasoning_effort")
        }
        if let temperatureNode = fields["temperature"] {
            guard let temperature = Double(try nonEmptyString(temperatureNode, field: "temperature")) else {
                throw failure(at: temperatureNode, "`temperature` is not a number", fix: "Write a number such as 0.7.")
            }
            entry.temperature = temperature
        }
        if let timeoutNode = fields["timeout"] {
            guard let timeout = DurationLiteral.parse(try nonEmptyString(timeoutNode, field: "timeout")) else {
                throw failure(
                    at: timeoutNode, "`timeout` is not a duration",
                    fix: "Write seconds (600) or a number with a unit: 500ms, 30s, 10m.")
            }
            entry.timeout = timeout
        }
        if let aliasesNode = fields["aliases"] { entry.aliases = try stringList(aliasesNode, field: "aliases") }
        if let rulesNode = fields["rules"] { entry.rules = try rules(rulesNode) }
        return entry
    }

    // MARK: Fields

    private func apiBase(_ node: Node) throws(ConfigError) -> String {
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
        if let secret = parameters.first(where: { Redactor.secretQueryParameters.contains($0.name.lowercased()) }) {
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

    private func format(_ node: Node) throws(ConfigError) -> Dialect {
        let text = try nonEmptyString(node, field: "format")
        if let dialect = FormatName.dialect(text) { return dialect }
        let likely = FormatName.suggestion(for: text) ?? FormatName.all.first { Self.looksAlike($0.rawValue, text) }
        let guess = likely.map { "Did you mean `\($0.rawValue)`? " } ?? ""
        throw failure(at: node, "unknown format `\(text)`", fix: "\(guess)Use one of \(FormatName.reference).")
    }

    private func tokenCount(_ node: Node, field: String) throws(ConfigError) -> Int {
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
            result.append((name, value))
        }
        return result
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

    private func required(_ field: String, in mapping: Node.Mapping, at node: Node) throws(ConfigError) -> Node {
        guard let value = mapping[field] else {
            let id = mapping["model_id"]?.string.map { " `\($0)`" } ?? ""
            throw failure(
                at: node, "model entry\(id) has no `\(field)`",
                fix: "Add `\(field): ...` to it. \(Self.hint(for: field))")
        }
        return value
    }

    func nonEmptyString(_ node: Node, field: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, node.tag.rawValue != Tag.Name.null.rawValue else {
            throw failure(
                at: node, "`\(field)` must be a single value", fix: "Write it on one line: `\(field): VALUE`.")
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            throw failure(at: node, "`\(field)` is empty", fix: "Give it a value or remove the line.")
        }
        return text
    }

    private func expanded(_ text: String, at node: Node) throws(ConfigError) -> String {
        do {
            return try EnvironmentInterpolation.expand(text, environment: environment)
        } catch let error as EnvironmentInterpolation.UndefinedVariable {
            throw failure(
                at: node, "environment variable `\(error.name)` is not set",
                fix: "Export it before starting the proxy (export \(error.name)=...), or write the value in the file.")
        } catch {
            throw failure(at: node, "malformed `${...}` reference", fix: "Write environment references as ${NAME}.")
        }
    }

    func json(_ node: Node) throws(ConfigError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.rawValue
            if tag == Tag.Name.null.rawValue { return .null }
            if tag == Tag.Name.bool.rawValue, let bool = node.bool { return .bool(bool) }
            if tag == Tag.Name.int.rawValue, let int = node.int { return .int(Int64(int)) }
            if tag == Tag.Name.float.rawValue, let double = node.float { return .double(double) }
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

    func checkFields(of mapping: Node.Mapping, allowed: [String], what: String) throws(ConfigError) {
        for key in mapping.keys {
            let name = key.string ?? ""
            guard !allowed.contains(name) else { continue }
            let suggestion = allowed.first { Self.looksAlike($0, name) }.map { "Did you mean `\($0)`? " } ?? ""
            throw failure(
                at: key, "unknown \(what) field `\(name)`",
                fix: "\(suggestion)Known fields: \(allowed.joined(separator: ", ")).")
        }
    }

    private func requireKnown(_ id: String, in known: [String], at node: Node, field: String) throws(ConfigError) {
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

    private func yamlSyntaxError(_ error: any Error) -> ConfigError {
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

    private static func hint(for field: String) -> String {
        switch field {
        case "model_id": "It is the name clients send as `model`."
        case "model_name": "It is the upstream's own name for the model, e.g. gpt-4o-mini."
        case "api_base": "It is the upstream's base URL, e.g. https://api.openai.com/v1."
        case "format": "Use one of \(FormatName.reference)."
        default: ""
        }
    }

    /// Same letters give or take one edit, or the same word with `-` for `_`:
    /// enough to catch `api-key` and `modelname`.
    private static func looksAlike(_ known: String, _ typed: String) -> Bool {
        let a = Array(known), b = Array(typed.lowercased().replacingOccurrences(of: "-", with: "_"))
        if a == b { return true }
        guard abs(a.count - b.count) <= 1 else { return false }
        var distance = Array(0...b.count)
        for i in 1...a.count {
            var previous = distance[0]
            distance[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let current = distance[j]
                distance[j] = min(distance[j] + 1, distance[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return distance[b.count] <= 1
    }
}
