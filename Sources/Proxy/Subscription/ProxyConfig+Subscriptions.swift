import Convert
import Foundation

extension ProxyConfig {
    /// The Anthropic backend a Claude Code login's requests go to;
    /// `SWITCHBOARD_CLAUDE_CODE_API_BASE` points it elsewhere (tests, a
    /// gateway).
    static func claudeCodeAPIBase(environment: [String: String]) -> String {
        environment["SWITCHBOARD_CLAUDE_CODE_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.anthropic.com"
    }

    /// The system prompt Anthropic expects first from a Claude Code
    /// subscription token (Claude Code's own prompt starts so).
    static let claudeCodeSystemPrefix = "You are Claude Code, Anthropic's official CLI for Claude."

    /// What Claude Code's requests carry besides the token, which the
    /// backend checks for a subscription token.
    static let claudeCodeHeaders: [(name: String, value: String)] = [
        ("user-agent", "claude-cli/2.1.2 (external, cli)"), ("x-app", "cli"),
        ("anthropic-dangerous-direct-browser-access", "true"),
    ]

    /// This config with the subscription logins in `store` applied: each
    /// logged-in provider's built-in models (`claude-code/claude-sonnet-4-5`)
    /// are added unless the file has an entry of that id (whose fields
    /// win), and every entry with that `provider:` gets the login's token
    /// and what the backend requires. A store that cannot be read is a
    /// warning, and no subscription model is served.
    public func applyingSubscriptions(
        from store: AuthStore, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ProxyConfig {
        var config = self
        let logins: [String: ProviderCredentials]
        do {
            logins = try store.load()
        } catch {
            // The warning names the file; the failure's own text, which
            // names it too when it starts with it, does not say it twice.
            let reason =
                error.description.hasPrefix(store.path + " ")
                ? String(error.description.dropFirst(store.path.count + 1)) : error.description
            config.warnings.append(
                ConfigWarning(file: store.path, message: "\(reason); subscription models are not served"))
            return config
        }
        for provider in SubscriptionProvider.allCases where logins[provider.rawValue] != nil {
            config.models += loginEntries(of: provider)
        }
        for index in config.models.indices {
            guard let name = config.models[index].provider,
                let provider = SubscriptionProvider(rawValue: name),
                let login = logins[name]
            else { continue }
            config.models[index].useLogin(login, of: provider, store: store, environment: environment)
        }
        return config
    }

    /// The built-in entries a login to `provider` adds to this config, yet
    /// without its token: one a model (`codex/gpt-5.2`), except those the
    /// config has an entry of that id for.
    func loginEntries(of provider: SubscriptionProvider) -> [ModelEntry] {
        let existing = Set(models.map(\.modelID))
        return provider.builtInModels.compactMap { model in
            let id = "\(provider.rawValue)/\(model)"
            guard !existing.contains(id) else { return nil }
            var entry = ModelEntry(modelID: id, modelName: model, apiBase: "", format: provider.format)
            entry.provider = provider.rawValue
            return entry
        }
    }
}

extension ModelEntry {
    /// Fills in what a subscription entry needs from its login; fields the
    /// config gave keep their values (but the key is always the login's).
    mutating func useLogin(
        _ login: ProviderCredentials, of provider: SubscriptionProvider, store: AuthStore,
        environment: [String: String]
    ) {
        switch provider {
        case .claudeCode:
            if apiBase.isEmpty { apiBase = ProxyConfig.claudeCodeAPIBase(environment: environment) }
            apiKey = Secret(login.accessToken)
            keyAuth = .bearer
            addBackendHeaders(ProxyConfig.claudeCodeHeaders)
            rules.body.insert(.systemPrefix(ProxyConfig.claudeCodeSystemPrefix), at: 0)
        case .codex:
            if apiBase.isEmpty { apiBase = CodexBackend.apiBase(environment: environment) }
            apiKey = Secret(login.accessToken)
            keyAuth = .bearer
            addBackendHeaders(CodexBackend.headers)
            // The backend takes no sampling settings for any model it serves
            // ("Unsupported parameter: temperature"): as OpenAI's reasoning
            // models, unless the entry says otherwise. Its host is known only
            // now, after the config's defaults were worked out.
            if reasoningModel == nil { reasoningModel = true }
            // The token in use (refreshed as it expires) is the session's,
            // put in at each request.
            oauthSession = OAuthSession.shared(
                settings: .codex(environment: environment), store: store, login: login)
        case .gemini, .antigravity:
            if apiBase.isEmpty { apiBase = CodeAssistBackend.apiBase(provider, environment: environment) }
            apiKey = Secret(login.accessToken)
            keyAuth = .bearer
            codeAssistProject = login.project
            if provider == .antigravity {
                addBackendHeaders(
                    AntigravityBackend.headers
                        + (SubscriptionBackendBody.isClaudeThinking(modelName)
                            ? [AntigravityBackend.thinkingBeta] : []))
            } else {
                addBackendHeaders(CodeAssistBackend.headers)
            }
            if let settings = OAuthProviderSettings.of(provider, environment: environment) {
                oauthSession = OAuthSession.shared(settings: settings, store: store, login: login)
            }
        }
        subscriptionReady = true
    }

    /// The backend's required headers first, each unless the entry's own
    /// `extra_headers` already names it (the config wins).
    private mutating func addBackendHeaders(_ headers: [(name: String, value: String)]) {
        let given = Set(extraHeaders.map { $0.name.lowercased() })
        extraHeaders = headers.filter { !given.contains($0.name) } + extraHeaders
    }
}
