import Convert

extension ModelEntry {
    /// Whether the backend is asked for a stream whatever the client asked
    /// (Codex answers only so; a non-streaming client gets it collected).
    var streamsUpstreamAlways: Bool { subscription == .codex && oauthSession != nil }

    /// The subscription its `provider:` names; nil for an API-key entry's
    /// provider name or none.
    var subscription: SubscriptionProvider? { provider.flatMap(SubscriptionProvider.init(rawValue:)) }

    /// Whether requests go to Gemini Code Assist or Antigravity, in their
    /// envelope.
    var isCodeAssist: Bool { oauthSession != nil && subscription?.usesCodeAssist == true }

    /// This entry carrying its OAuth login's current token, refreshed first
    /// when it is about to expire; an entry without one, unchanged. A failed
    /// refresh is 401 saying to log in again.
    func withCurrentLogin() async throws(APIError) -> ModelEntry {
        guard let session = oauthSession else { return self }
        do {
            return carrying(try await session.current())
        } catch {
            throw Self.loginExpired(error)
        }
    }

    /// This entry after the backend refused its token (401): carrying a
    /// refreshed one, shared with every request that saw that token refused.
    func withLoginRefreshed() async throws(APIError) -> ModelEntry {
        guard let session = oauthSession, let rejected = apiKey?.value else { return self }
        do {
            return carrying(try await session.refresh(replacing: rejected))
        } catch {
            throw Self.loginExpired(error)
        }
    }

    /// The login's token as the key, and its account where the backend
    /// wants it.
    private func carrying(_ login: ProviderCredentials) -> ModelEntry {
        var entry = self
        entry.apiKey = Secret(login.accessToken)
        if subscription == .codex, let account = login.account {
            entry.extraHeaders.removeAll { $0.name.lowercased() == CodexBackend.accountHeader }
            entry.extraHeaders.insert((CodexBackend.accountHeader, account), at: 0)
        }
        if isCodeAssist { entry.codeAssistProject = login.project }
        return entry
    }

    private static func loginExpired(_ failure: OAuthSession.Failure) -> APIError {
        APIError(status: 401, type: "authentication_error", message: failure.description)
    }
}
