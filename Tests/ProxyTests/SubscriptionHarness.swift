import Foundation
import TestSupport

@testable import Proxy

/// A stub subscription backend (Codex, Code Assist, Antigravity): the reply
/// for a request it serves, nil for any other.
protocol StubSubscriptionBackend: Sendable {
    func reply(_ request: StubHTTPServer.ReceivedRequest) -> StubHTTPServer.Reply?
}

/// What a test of an OAuth subscription gets: the proxy, the stub OAuth
/// provider and the stub backend (both answering on the proxy's stub
/// upstream), the auth store and the login saved in it.
struct SubscriptionSetup<Backend: StubSubscriptionBackend> {
    let proxy: ProxyHarness
    let provider: StubOAuthProvider
    let backend: Backend
    let store: AuthStore
    let login: ProviderCredentials
}

extension ProxyHarness {
    /// A config with one plain entry, so that the subscription's models
    /// are the ones the login adds.
    static let plainConfig: @Sendable (String) -> String = {
        "models:\n  - {model_id: other, model_name: o, api_base: \"\($0)/v1\", format: openai}\n"
    }

    /// Runs `body` with a proxy serving `subscription` from a login made
    /// earlier (expiring at `expiresAt`, with `project` when the backend
    /// bills one), its OAuth provider (`profile`) and its backend
    /// (`makeBackend`) on the proxy's stub upstream.
    static func withSubscriptionLogin<Backend: StubSubscriptionBackend, T>(
        _ subscription: SubscriptionProvider, profile: StubOAuthProvider.Profile,
        expiresAt: Date = .distantFuture,
        refusesRefresh: Bool = false, account: String? = nil, project: String? = nil,
        backend makeBackend: (StubOAuthProvider) throws -> Backend,
        configYAML: @escaping (String) -> String = plainConfig, recording: ExchangeRecording? = nil,
        log: CapturedLog? = nil, _ body: (SubscriptionSetup<Backend>) async throws -> T
    ) async throws -> T {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "\(subscription.rawValue)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        let provider = StubOAuthProvider(refusesRefresh: refusesRefresh, profile: profile)
        var login = provider.earlierLogin(expiresAt: expiresAt)
        if let account { login.account = account }
        login.project = project
        try store.save(login, for: subscription)
        let backend = try makeBackend(provider)
        return try await run(
            recording: recording, configYAML: configYAML, logger: log?.logger(level: .trace),
            logins: store
        ) { proxy in
            proxy.stub.replyFor = {
                provider.reply($0) ?? backend.reply($0) ?? .json(404, #"{"error":"nothing here"}"#)
            }
            return try await body(
                SubscriptionSetup(
                    proxy: proxy, provider: provider, backend: backend, store: store, login: login))
        }
    }
}
