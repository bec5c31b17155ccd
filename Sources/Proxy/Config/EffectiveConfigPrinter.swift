import Cassette
import Wire

/// `proxy config print`: the config as the proxy uses it, as YAML that
/// loads back: every field of every entry, defaults filled in, `${ENV}`
/// values resolved, and keys shown as the fingerprint cassettes show
/// (`[redacted:<first 8 hex of their SHA-256>]`) unless asked for.
///
/// It prints the file's entries, not those a subscription login adds when
/// the file is loaded (a comment names them): saved as the config, they
/// would outlive the login. A login's token is never printed, even when
/// keys are.
public struct EffectiveConfigPrinter: Sendable {
    /// Print keys (and secret header values) as they are.
    public var showAPIKeys: Bool

    public init(showAPIKeys: Bool = false) {
        self.showAPIKeys = showAPIKeys
    }

    /// The whole file's text. `logins` are the subscriptions logged in,
    /// whose added entries a comment names.
    public func render(_ config: ProxyConfig, logins: [SubscriptionProvider] = []) -> String {
        var lines = [
            "# The effective config of \(config.file): defaults filled in, ${ENV} values resolved.",
            showAPIKeys
                ? "# Keys are shown as they are; login tokens never are."
                : "# Keys are shown as [redacted:<first 8 hex of their SHA-256>], as cassettes show them;"
                    + " --show-api-keys shows them (save that to load it back: a fingerprint is not a key).",
        ]
        let added = logins.compactMap { provider -> String? in
            let ids = config.loginEntries(of: provider).map(\.modelID)
            return ids.isEmpty ? nil : "\(provider.rawValue) (\(ids.joined(separator: ", ")))"
        }
        if !added.isEmpty {
            lines.append(
                "# Not printed: the entries logins add when this file is loaded, "
                    + added.joined(separator: "; ") + ".")
        }
        lines.append(
            "default: "
                + (config.defaultModelID.map(Self.scalar) ?? "null  # a model nothing matches gets 404 not_found_error")
        )
        if config.aliases.isEmpty {
            lines.append("aliases: {}")
        } else {
            lines.append("aliases:")
            for alias in config.aliases {
                lines.append("  \(Self.scalar(alias.pattern)): \(Self.scalar(alias.modelID))")
            }
        }
        if !config.scenarios.isEmpty {
            lines.append("router:")
            for item in config.scenarios.inOrder {
                lines.append("  \(item.scenario.rawValue): \(Self.scalar(item.modelID))")
            }
            lines.append("  long_context_threshold: \(config.scenarios.longContextThreshold)")
        }
        // Only when set, as the file has them: none is the safe default.
        if !config.allowedHosts.isEmpty { lines.append("allowed_hosts: " + Self.list(config.allowedHosts)) }
        if !config.allowedOrigins.isEmpty { lines.append("allowed_origins: " + Self.list(config.allowedOrigins)) }
        lines += ruleLines(config.rules, indent: "")
        lines.append("models:")
        for entry in config.models {
            lines += self.entry(entry) + ruleLines(entry.rules.dropping(config.rules), indent: "    ")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func entry(_ entry: ModelEntry) -> [String] {
        var fields: [(String, String)] = [
            ("model_id", Self.scalar(entry.modelID)),
            (
                "model_name",
                Self.scalar(entry.modelName)
                    + (entry.modelName == ModelEntry.passThroughModelName
                        ? "  # the client's model name, unchanged" : "")
            ),
            ("api_base", entry.apiBase.isEmpty ? "null" : Self.scalar(Self.redactor.url(entry.apiBase))),
            ("format", entry.format.rawValue),
            ("api_key", apiKey(of: entry)),
            (
                "auth",
                entry.keyAuth?.rawValue ?? "null  # the format's own key header (an sk-ant-oat token: bearer)"
            ),
            ("max_tokens", entry.maxTokens.map(String.init) ?? "null  # the client's max_tokens, uncapped"),
            ("context", entry.contextWindow.map(String.init) ?? "null  # no context window check"),
        ]
        if entry.extraHeaders.isEmpty {
            fields.append(("extra_headers", "{}"))
        } else {
            let headers = entry.extraHeaders.map { header($0.name, $0.value) }
            fields.append(("extra_headers", "{" + headers.joined(separator: ", ") + "}"))
        }
        fields += [
            ("extra_body", JSONValue.object(entry.extraBody ?? [:]).serializedString()),
            (
                "reasoning_effort",
                entry.reasoningEffort.map(Self.scalar) ?? "null  # from the client's thinking settings"
            ),
            ("temperature", entry.temperature.map { "\($0)" } ?? "null  # the client's"),
            ("timeout", DurationLiteral.text(entry.timeout)),
            ("max_stream_duration", DurationLiteral.text(entry.maxStreamDuration)),
            ("can_stream", entry.canStream ? "true" : "false  # the upstream is called without streaming"),
            (
                "structured_output",
                entry.structuredOutput?.rawValue ?? "null  # send, with the safety rules"
            ),
            (
                "max_tokens_field",
                entry.chatOutputCapField?.rawValue
                    ?? (entry.format == .openai ? "null  # max_tokens" : "null  # not format openai")
            ),
            ("reasoning_model", reasoningModel(of: entry)),
            (
                "reasoning_content",
                entry.format == .openai
                    ? (entry.chatReasoningContent ? "true" : "false") : "null  # not format openai"
            ),
            (
                "chat_server",
                entry.chatServer?.rawValue
                    ?? (entry.format == .openai ? "null  # OpenAI's rules" : "null  # not format openai")
            ),
            ("provider", entry.provider.map(Self.scalar) ?? "null"),
            ("aliases", Self.list(entry.aliases)),
            ("fallback", Self.list(entry.fallback)),
        ]
        return fields.enumerated().map { index, field in "\(index == 0 ? "  - " : "    ")\(field.0): \(field.1)" }
    }

    /// `reasoning_model` as read, the default filled in: `true` sends no
    /// sampling settings or stop sequences.
    private func reasoningModel(of entry: ModelEntry) -> String {
        guard entry.format == .openai || entry.format == .openaiResponses else {
            return "null  # not an OpenAI format"
        }
        if entry.reasoningModel == nil, entry.reasoningModelByName {
            return "null  # by the client's model name: true for OpenAI's reasoning models (o3, gpt-5...)"
        }
        return entry.reasoningModel == true
            ? "true  # no temperature, top_p, penalties or stop sequences sent" : "false"
    }

    /// A subscription entry's key is its login's token, put in when the
    /// config is loaded: never printed, whatever the entry carries.
    private func apiKey(of entry: ModelEntry) -> String {
        if let subscription = entry.subscription { return "null  # the \(subscription.rawValue) login's token" }
        return entry.apiKey.map { Self.scalar(secret($0.value)) } ?? "null  # the client's own key is passed on"
    }

    /// `rules:` as the parser reads it, a rule a line, at `indent`; nothing
    /// when there are none (an entry's own then print as `rules: []`).
    private func ruleLines(_ rules: ConfiguredRules, indent: String) -> [String] {
        let items = ruleTexts(rules)
        if items.isEmpty { return indent.isEmpty ? [] : [indent + "rules: []"] }
        return [indent + "rules:"] + items.map { indent + "  - " + $0 }
    }

    /// Each rule as its one-key mapping (`drop_tools: [WebSearch]`), body
    /// rules then header rules, the order each kind is applied in; a
    /// `set_headers` value redacted as an `extra_headers` one is. A
    /// subscription's system prefix is left out: the login puts it back
    /// when the config is loaded.
    func ruleTexts(_ rules: ConfiguredRules) -> [String] {
        let body: [String] = rules.body.compactMap { rule -> String? in
            switch rule {
            case .dropTools(let patterns): "drop_tools: " + Self.list(patterns.map(\.text))
            case .set(let pointer, let value): "set: {\(Self.scalar(pointer.text)): \(value.serializedString())}"
            case .remove(let pointer): "remove: " + Self.list([pointer.text])
            case .systemPrepend(let text): "system_prepend: " + Self.scalar(text)
            case .systemPrefix: nil
            }
        }
        return body
            + rules.headers.map { rule -> String in
                switch rule {
                case .set(let name, let value): "set_headers: {\(header(name, value))}"
                case .remove(let name): "remove_headers: " + Self.list([name])
                }
            }
    }

    /// `name: value` of a header, the value redacted when the name is a
    /// secret's.
    private func header(_ name: String, _ value: String) -> String {
        "\(Self.scalar(name)): " + Self.scalar(Self.redactor.isSecret(name) ? secret(value) : value)
    }

    private static func list(_ items: [String]) -> String {
        "[" + items.map(scalar).joined(separator: ", ") + "]"
    }

    private func secret(_ value: String) -> String {
        showAPIKeys ? value : Redactor.fingerprint(value)
    }

    private static let redactor = Redactor()

    /// `text` as a YAML scalar: plain when it cannot be read as anything
    /// else, else double-quoted with JSON's escapes (which YAML shares).
    static func scalar(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { plainCharacters.contains($0) }
        let reserved = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]
        guard plain, let first = text.unicodeScalars.first,
            first.properties.isAlphabetic || first == "/" || ("0"..."9").contains(first),
            !reserved.contains(text.lowercased()), Double(text) == nil, !text.hasSuffix(":")
        else { return JSONValue.string(text).serializedString() }
        return text
    }

    private static let plainCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@+=?&%".unicodeScalars)
}
