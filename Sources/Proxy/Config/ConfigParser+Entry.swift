import Convert
import Wire
import Yams

/// One `models` entry, in either layout: ours, and tizee/anthropic-proxy's
/// (`direct`, `max_input_tokens`, `can_stream`, `provider`, and `model_name`
/// and `format` left to their defaults).
extension ConfigParser {
    mutating func modelEntry(_ node: Node, layout: EntryLayout) throws(ConfigError) -> ModelEntry {
        guard case .mapping(let mapping) = node else {
            throw failure(
                at: node, "a `models` item is not a mapping",
                fix: "Write each entry as `- model_id: NAME` followed by its other fields, indented alike.")
        }
        try checkFields(of: mapping, allowed: Self.entryFields, what: "model entry")
        // `field: null` (or `~`) is the field left out, as YAML means it.
        var fields = Node.Mapping([], mapping.tag)
        for (key, value) in mapping where !value.isNull { fields[key] = value }

        let modelID = try nonEmptyString(try required("model_id", in: fields, at: node), field: "model_id")
        let provider = try fields["provider"].map { (node) throws(ConfigError) in
            try nonEmptyString(node, field: "provider")
        }
        // A subscription entry names no URL.
        let apiBase =
            provider != nil && fields["api_base"] == nil
            ? "" : try apiBase(try required("api_base", in: fields, at: node))
        var entry = ModelEntry(
            modelID: modelID,
            modelName: try modelName(fields, modelID: modelID, at: node, layout: layout, subscription: provider),
            apiBase: apiBase,
            format: try entryFormat(fields, at: node, layout: layout, subscription: provider, apiBase: apiBase),
            line: mapping.first?.key.mark?.line ?? node.mark?.line)
        entry.provider = provider
        if let provider, let providerNode = fields["provider"],
            SubscriptionProvider(rawValue: provider) == nil
        {
            let known = SubscriptionProvider.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            warnings.append(
                ConfigWarning(
                    file: file, line: providerNode.mark?.line, column: providerNode.mark?.column,
                    message:
                        "provider `\(provider)` of `\(modelID)` is not a subscription this build knows (\(known)), "
                        + "so requests routed to `\(modelID)` get 501"))
        }
        entry.apiKey = try apiKey(fields)
        if let authNode = fields["auth"] {
            let name = try nonEmptyString(authNode, field: "auth")
            guard let auth = UpstreamEndpoint.KeyAuth(rawValue: name.lowercased()) else {
                throw failure(
                    at: authNode, "`auth` is `\(name)`, which is not a way to send a key",
                    fix: "Write `auth: bearer` (Authorization: Bearer), `auth: x-api-key` or `auth: api-key` (Azure's)."
                )
            }
            entry.keyAuth = auth
        } else {
            entry.keyAuth = entry.defaultKeyAuth
        }
        if let capNode = fields["max_tokens"] { entry.maxTokens = try tokenCount(capNode, field: "max_tokens") }
        entry.contextWindow = try contextWindow(fields)
        if let headersNode = fields["extra_headers"] { entry.extraHeaders = try headers(headersNode) }
        if let bodyNode = fields["extra_body"] {
            guard case .object(let object) = try json(bodyNode) else {
                throw failure(
                    at: bodyNode, "`extra_body` must be a mapping",
                    fix: "Write the fields to merge into the upstream body, e.g. `extra_body: {top_k: 40}`.")
            }
            // `{}` (as `config print` writes it) merges nothing.
            entry.extraBody = object.isEmpty ? nil : object
        }
        if let effortNode = fields["reasoning_effort"] {
            let effort = try nonEmptyString(effortNode, field: "reasoning_effort").lowercased()
            // Anything else reached the upstream as it was written (OpenAI
            // answers 400 for `extreme`), or thinking went without a word.
            let efforts = RouteOptions.reasoningEfforts
            guard efforts.contains(effort) else {
                // `max` was taken before efforts were checked; it meant a
                // Gemini upstream's most and, to an Anthropic one, no
                // thinking: `xhigh` says what it meant.
                let meant = effort == "max" ? "xhigh" : efforts.first { Spelling.looksAlike($0, effort) }
                throw failure(
                    at: effortNode, "`reasoning_effort` `\(effort)` is not an effort",
                    fix: (meant.map { "Did you mean `\($0)`? " } ?? "") + "Use one of: "
                        + efforts.joined(separator: ", ") + ".")
            }
            entry.reasoningEffort = effort
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
        if let limitNode = fields["max_stream_duration"] {
            guard let limit = DurationLiteral.parse(try nonEmptyString(limitNode, field: "max_stream_duration")),
                limit > .zero
            else {
                throw failure(
                    at: limitNode, "`max_stream_duration` is not a positive duration",
                    fix: "Write seconds (3600) or a number with a unit: 90s, 30m, 2h.")
            }
            entry.maxStreamDuration = limit
        }
        if let policyNode = fields["structured_output"] {
            let name = try nonEmptyString(policyNode, field: "structured_output").lowercased()
            guard let policy = StructuredOutputPolicy(rawValue: name) else {
                let policies = StructuredOutputPolicy.allCases.map(\.rawValue)
                let meant = policies.first { Spelling.looksAlike($0, name) }
                throw failure(
                    at: policyNode, "`structured_output` `\(name)` of `\(modelID)` is not a policy",
                    fix: (meant.map { "Did you mean `\($0)`? " } ?? "") + "Use one of: "
                        + policies.joined(separator: ", ") + ".")
            }
            entry.structuredOutput = policy
        } else {
            entry.structuredOutput = entry.defaultStructuredOutput
        }
        // Before the cap field, whose default follows it.
        if let reasoningNode = fields["reasoning_model"] {
            entry.reasoningModel = try reasoningModel(reasoningNode, modelID: modelID, format: entry.format)
        } else {
            entry.reasoningModel = entry.defaultReasoningModel
            entry.reasoningModelByName = entry.defaultReasoningModelByName
        }
        if let serverNode = fields["chat_server"] {
            entry.chatServer = try chatServer(serverNode, modelID: modelID, format: entry.format)
        } else {
            entry.chatServer = entry.defaultChatServer
        }
        entry.reasoningEffortRefused = entry.defaultReasoningEffortRefused
        if let capFieldNode = fields["max_tokens_field"] {
            entry.chatOutputCapField = try chatOutputCapField(capFieldNode, modelID: modelID, format: entry.format)
        } else {
            entry.chatOutputCapField = entry.defaultChatOutputCapField
        }
        entry.maxStopSequences = entry.defaultMaxStopSequences
        if let reasoningNode = fields["reasoning_content"] {
            entry.chatReasoningContent = try bool(reasoningNode, field: "reasoning_content")
            try requireChatFormat(reasoningNode, field: "reasoning_content", modelID: modelID, format: entry.format)
        } else {
            entry.chatReasoningContent = entry.defaultChatReasoningContent
        }
        if let streamNode = fields["can_stream"] { entry.canStream = try bool(streamNode, field: "can_stream") }
        if let aliasesNode = fields["aliases"] { entry.aliases = try stringList(aliasesNode, field: "aliases") }
        if let rulesNode = fields["rules"] { entry.rules = try rules(rulesNode) }
        return entry
    }

    /// `max_tokens_field`: only an OpenAI Chat upstream has a choice of
    /// names for the output cap, so on another format it is an error rather
    /// than a setting that silently does nothing.
    private func chatOutputCapField(
        _ node: Node, modelID: String, format: Dialect
    ) throws(ConfigError)
        -> ChatOutputCapField
    {
        let name = try nonEmptyString(node, field: "max_tokens_field").lowercased()
        let fields = ChatOutputCapField.allCases.map(\.rawValue)
        guard let field = ChatOutputCapField(rawValue: name) else {
            let meant = fields.first { Spelling.looksAlike($0, name) }
            throw failure(
                at: node, "`max_tokens_field` `\(name)` of `\(modelID)` is not a field an OpenAI upstream reads",
                fix: (meant.map { "Did you mean `\($0)`? " } ?? "") + "Use one of: " + fields.joined(separator: ", ")
                    + ".")
        }
        try requireChatFormat(node, field: "max_tokens_field", modelID: modelID, format: format)
        return field
    }

    /// `chat_server`: a server of the Chat format with stricter rules; on
    /// another format an error rather than a setting that does nothing.
    private func chatServer(_ node: Node, modelID: String, format: Dialect) throws(ConfigError) -> ChatServer {
        let name = try nonEmptyString(node, field: "chat_server").lowercased()
        guard let server = ChatServer(rawValue: name) else {
            let servers = ChatServer.allCases.map(\.rawValue)
            throw failure(
                at: node, "`chat_server` `\(name)` of `\(modelID)` is not a server the proxy fits requests to",
                fix: "Use one of: " + servers.joined(separator: ", ")
                    + "; leave it out for a server that takes what OpenAI's API takes.")
        }
        try requireChatFormat(node, field: "chat_server", modelID: modelID, format: format)
        return server
    }

    /// `reasoning_model`: only OpenAI's two formats have its reasoning
    /// models, so on another it is an error rather than a setting that
    /// silently does nothing.
    private func reasoningModel(_ node: Node, modelID: String, format: Dialect) throws(ConfigError) -> Bool {
        let value = try bool(node, field: "reasoning_model")
        guard format == .openai || format == .openaiResponses else {
            throw failure(
                at: node,
                "`reasoning_model` of `\(modelID)` applies to `format: openai` and `openai-responses` only, "
                    + "not `\(format.rawValue)`",
                fix: "Remove it: this format's models take the sampling settings the proxy sends.")
        }
        return value
    }

    /// A setting of OpenAI Chat upstreams only (`max_tokens_field`,
    /// `reasoning_content`) is an error on another format rather than a
    /// setting that silently does nothing.
    private func requireChatFormat(
        _ node: Node, field: String, modelID: String, format: Dialect
    ) throws(ConfigError) {
        guard format != .openai else { return }
        let fix =
            switch field {
            case "max_tokens_field": "Remove it: this format has one name for the output cap, which the proxy sends."
            case "chat_server": "Remove it: it names a server of the OpenAI Chat format."
            default: "Remove it: the proxy sends thinking to this format in the format's own way."
            }
        throw failure(
            at: node, "`\(field)` of `\(modelID)` applies to `format: openai` only, not `\(format.rawValue)`",
            fix: fix)
    }

    /// `model_name`, else tizee/anthropic-proxy's default
    /// (`_default_model_name`): a subscription entry's id without its
    /// `provider/` prefix, which is also the name of the built-in entry an
    /// id such as `codex/gpt-5.2-codex` replaces (the backend knows no
    /// `codex/...`); else, in its layout, the id. Our layout needs it
    /// otherwise.
    private func modelName(
        _ fields: Node.Mapping, modelID: String, at node: Node, layout: EntryLayout, subscription: String?
    ) throws(ConfigError) -> String {
        if let nameNode = fields["model_name"] { return try nonEmptyString(nameNode, field: "model_name") }
        if let subscription, let provider = SubscriptionProvider(rawValue: subscription),
            modelID.hasPrefix(provider.rawValue + "/"), modelID.count > provider.rawValue.count + 1
        {
            return String(modelID.dropFirst(provider.rawValue.count + 1))
        }
        if layout == .list { return modelID }
        return try nonEmptyString(try required("model_name", in: fields, at: node), field: "model_name")
    }

    /// `format`, else tizee/anthropic-proxy's rules (`_resolve_model_format`),
    /// in its order: `direct: true` is anthropic; a subscription's backend
    /// speaks its one API (gemini for `gemini` and `antigravity`); an
    /// `api_base` on anthropic.com is anthropic; else openai. They apply in
    /// its layout, or when the entry uses its `direct` or `provider`; our
    /// layout needs `format` otherwise.
    private func entryFormat(
        _ fields: Node.Mapping, at node: Node, layout: EntryLayout, subscription: String?, apiBase: String
    ) throws(ConfigError) -> Dialect {
        if let formatNode = fields["format"] { return try format(formatNode) }
        let direct = try fields["direct"].map { (node) throws(ConfigError) in try bool(node, field: "direct") }
        if direct == true { return .anthropic }
        if let known = subscription.flatMap(SubscriptionProvider.init(rawValue:)) { return known.format }
        guard layout == .list || direct != nil || subscription != nil else {
            return try format(try required("format", in: fields, at: node))
        }
        // There `direct: false` chooses nothing: the URL decides, as here.
        return apiBase.lowercased().contains("anthropic.com") ? .anthropic : .openai
    }

    /// `api_key`, or tizee/anthropic-proxy's `api_key_name: NAME`, the
    /// environment variable holding the key there: the same as `api_key:
    /// ${NAME}` (unset, it is the same error). Not both: they would say two
    /// things about one key.
    private func apiKey(_ fields: Node.Mapping) throws(ConfigError) -> Secret? {
        let keyNode = fields["api_key"]
        let nameNode = fields["api_key_name"]
        if keyNode != nil, let nameNode {
            throw failure(
                at: nameNode, "`api_key_name` and `api_key` both give the key",
                fix: "Keep one of them: `api_key_name: NAME` is `api_key: ${NAME}`.")
        }
        if let keyNode {
            let key = try expanded(try nonEmptyString(keyNode, field: "api_key"), at: keyNode)
            return Secret(try notAFingerprint(key, field: "api_key", at: keyNode))
        }
        guard let nameNode else { return nil }
        let name = try nonEmptyString(nameNode, field: "api_key_name")
        guard !name.contains(where: { "${}".contains($0) }) else {
            throw failure(
                at: nameNode, "`api_key_name` `\(name)` is not an environment variable's name",
                fix: "Write the variable's name alone, e.g. `api_key_name: OPENROUTER_API_KEY`.")
        }
        return Secret(
            try notAFingerprint(try expanded("${\(name)}", at: nameNode), field: "api_key_name", at: nameNode))
    }

    /// `context`, or its other name `max_input_tokens`; both may be given
    /// only when they agree.
    private func contextWindow(_ fields: Node.Mapping) throws(ConfigError) -> Int? {
        let context = try fields["context"].map { (node) throws(ConfigError) in
            try tokenCount(node, field: "context")
        }
        guard let inputNode = fields["max_input_tokens"] else { return context }
        let input = try tokenCount(inputNode, field: "max_input_tokens")
        if let context, context != input {
            throw failure(
                at: inputNode, "`max_input_tokens` (\(input)) and `context` (\(context)) disagree",
                fix: "They name the same limit, the context window; keep one of them.")
        }
        return input
    }

    func bool(_ node: Node, field: String) throws(ConfigError) -> Bool {
        guard case .scalar(let scalar) = node, node.coreSchemaTag == .bool,
            let value = YAMLCoreSchema.bool(scalar.string)
        else {
            throw failure(at: node, "`\(field)` must be true or false", fix: "Write `\(field): true` or `false`.")
        }
        return value
    }
}
