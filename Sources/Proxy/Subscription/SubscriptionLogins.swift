import Foundation

/// What `proxy login`, `proxy logout` and `proxy providers` do, over an
/// ``AuthStore``; the commands only read arguments and print.
public struct SubscriptionLogins: Sendable {
    public let store: AuthStore

    public init(store: AuthStore) {
        self.store = store
    }

    /// A login that cannot be done, said so that the user knows what to do.
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Stores Claude Code's setup token (what `claude setup-token` prints),
    /// pasted by the user, once ``claudeCodeToken(_:)`` takes it.
    public func loginClaudeCode(token pasted: String) throws -> ProviderCredentials {
        let credentials = ProviderCredentials(accessToken: try Self.claudeCodeToken(pasted))
        do {
            try store.save(credentials, for: .claudeCode)
        } catch {
            throw Refusal(description: error.description)
        }
        return credentials
    }

    /// A Claude Code token as given (pasted, or found in another proxy's
    /// logins) without surrounding whitespace; anything that is not one is
    /// refused without echoing it.
    public static func claudeCodeToken(_ given: String) throws(Refusal) -> String {
        let token = given.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw Refusal(description: "no token was given; run `claude setup-token` and paste what it prints")
        }
        // An API key (sk-ant-api03-...) was taken too, and the login then
        // failed at the first request: it belongs in a route's api_key.
        if token.hasPrefix("sk-ant-api") {
            throw Refusal(
                description: "that is an Anthropic API key, not a Claude Code token (those start with sk-ant-oat, "
                    + "as `claude setup-token` prints them); use the key as a route's api_key instead")
        }
        guard token.hasPrefix("sk-ant-oat"), !token.contains(where: \.isWhitespace) else {
            throw Refusal(
                description: "that is not a Claude token (it should start with sk-ant-oat, as `claude setup-token` "
                    + "prints it, on one line)")
        }
        return token
    }

    /// Finds the Google Cloud project a Gemini Code Assist or Antigravity
    /// login bills (onboarding the user to the free tier when they have
    /// none), at `SWITCHBOARD_GEMINI_API_BASE` or
    /// `SWITCHBOARD_ANTIGRAVITY_API_BASE` (see ``CodeAssistBackend``), and
    /// stores it with the login. Other providers' logins have no project.
    public func resolveProject(
        of provider: SubscriptionProvider, for login: ProviderCredentials,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        pollInterval: Duration = .seconds(3)
    ) async throws -> ProviderCredentials {
        var project = CodeAssistProject(
            base: CodeAssistBackend.apiBase(provider, environment: environment),
            pollInterval: pollInterval)
        switch provider {
        case .gemini: break
        case .antigravity:
            project.headers = AntigravityBackend.headers
            project.product = provider.backendName
        case .codex, .claudeCode: return login
        }
        var resolved = login
        resolved.project = try await project.resolve(accessToken: login.accessToken)
        do {
            try store.save(resolved, for: provider)
        } catch {
            throw Refusal(description: error.description)
        }
        return resolved
    }

    /// Removes a login; says whether there was one.
    public func logout(_ provider: SubscriptionProvider) throws -> Bool {
        do {
            return try store.remove(provider)
        } catch {
            throw Refusal(description: error.description)
        }
    }

    /// `proxy providers`: each provider, logged in or not, its account, its
    /// token's expiry and its models. Never a token.
    public func report(now: Date = Date()) throws -> String {
        let logins: [String: ProviderCredentials]
        do {
            logins = try store.load()
        } catch {
            throw Refusal(description: error.description)
        }
        var lines: [String] = []
        for provider in SubscriptionProvider.allCases {
            lines.append("\(provider.rawValue): \(provider.displayName)")
            if let login = logins[provider.rawValue] {
                lines.append("  logged in" + (login.account.map { " as \($0)" } ?? ""))
                lines.append("  token: " + Self.expiry(login.expiresAt, now: now))
                if let project = login.project { lines.append("  project: \(project)") }
            } else {
                lines.append("  not logged in (`proxy login --\(provider.rawValue)`)")
            }
            let models = provider.builtInModels.map { "\(provider.rawValue)/\($0)" }.joined(separator: ", ")
            lines.append("  models: \(models)")
        }
        lines.append("Logins are kept in \(store.path) (mode 0600).")
        return lines.joined(separator: "\n")
    }

    private static func expiry(_ date: Date?, now: Date) -> String {
        guard let date else { return "does not expire" }
        let seconds = date.timeIntervalSince(now)
        let stamp = ISO8601DateFormatter().string(from: date)
        if seconds <= 0 { return "expired at \(stamp) (refreshed on the next request)" }
        // Held under a bound before it is made an Int: the expiry is the auth file's (or a token
        // endpoint's) number, and 1e300 seconds trapped.
        return "expires at \(stamp) (in \(Int(min(seconds, 1e15)) / 60) min)"
    }
}
