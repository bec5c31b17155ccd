import Cassette
import Foundation
import TestSupport
import Testing
import Wire

@testable import Proxy

/// What Gemini Code Assist (`proxy login --gemini`) and Antigravity
/// (`proxy login --antigravity`) logins share, both served through the stub
/// Code Assist backend: the login and its project, the models listed, the
/// token refreshed, a refused refresh, an exhausted quota, and no token in
/// any log, cassette or report. What differs is in
/// ``GeminiSubscriptionTests`` and ``AntigravitySubscriptionTests``.
@Suite struct CodeAssistSubscriptionTests {
    /// One Code Assist subscription under test.
    struct Subscription: Sendable, CustomTestStringConvertible {
        var provider: SubscriptionProvider
        var profile: StubOAuthProvider.Profile
        var variant: StubCodeAssistBackend.Variant
        /// The project the login holds.
        var project: String
        /// A built-in model's name, without the `provider/` prefix.
        var model: String
        /// What the quota message starts with.
        var product: String
        var environmentPrefix: String

        var testDescription: String { provider.rawValue }
        /// `model` as clients name it.
        var modelID: String { provider.rawValue + "/" + model }

        static let gemini = Subscription(
            provider: .gemini, profile: .google, variant: .gemini, project: "my-workspace-project",
            model: "gemini-2.5-pro", product: "Gemini Code Assist", environmentPrefix: "SWITCHBOARD_GEMINI")
        static let antigravity = Subscription(
            provider: .antigravity, profile: .antigravity, variant: .antigravity, project: "antigravity-project-77",
            model: "gemini-3-flash", product: "Antigravity", environmentPrefix: "SWITCHBOARD_ANTIGRAVITY")
        static let all = [gemini, antigravity]

        typealias Setup = SubscriptionSetup<StubCodeAssistBackend>

        /// A proxy with this subscription's login (expiring at
        /// `expiresAt`), its OAuth provider and the backend on its stub.
        func withLogin<T>(
            expiresAt: Date = .distantFuture, refusesRefresh: Bool = false,
            configYAML: @escaping (String) -> String = ProxyHarness.plainConfig,
            recording: ExchangeRecording? = nil, log: CapturedLog? = nil, _ body: (Setup) async throws -> T
        ) async throws -> T {
            try await ProxyHarness.withSubscriptionLogin(
                provider, profile: profile, expiresAt: expiresAt, refusesRefresh: refusesRefresh,
                account: StubOAuthProvider.email, project: project,
                backend: { [self] in try StubCodeAssistBackend(provider: $0, project: project, variant: variant) },
                configYAML: configYAML, recording: recording, log: log, body)
        }

        /// The login's OAuth settings, pointed at `stub`.
        func settings(_ stub: StubHTTPServer) -> (OAuthProviderSettings, [String: String]) {
            let environment = [
                environmentPrefix + "_AUTH_BASE": stub.baseURL, environmentPrefix + "_API_BASE": stub.baseURL,
                environmentPrefix + "_REDIRECT_URI": "http://localhost:0" + profile.callbackPath,
            ]
            let settings: OAuthProviderSettings =
                provider == .gemini ? .gemini(environment: environment) : .antigravity(environment: environment)
            return (settings, environment)
        }
    }

    @Test(arguments: Subscription.all, [true, false])
    func aLoginResolvesTheProject(_ subscription: Subscription, hasProject: Bool) async throws {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("code-assist-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        let provider = StubOAuthProvider(profile: subscription.profile)
        let backend = try StubCodeAssistBackend(
            provider: provider, project: hasProject ? subscription.project : nil, variant: subscription.variant)
        try await StubHTTPServer.withRunning { stub in
            stub.replyFor = { provider.reply($0) ?? backend.reply($0) ?? .json(404, #"{"error":"not_found"}"#) }
            let (settings, environment) = subscription.settings(stub)
            let login = try await OAuthLogin(settings: settings, store: store).run(
                present: { prompt in _ = try? await ScriptedBrowser.open(prompt.authorizationURL) })
            #expect(login.account == StubOAuthProvider.email)
            let resolved = try await SubscriptionLogins(store: store).resolveProject(
                of: subscription.provider, for: login, environment: environment, pollInterval: .zero)
            #expect(resolved.project == (hasProject ? subscription.project : StubCodeAssistBackend.onboardedProject))
            // Without a project, onboarding is asked until its operation is done.
            #expect(backend.state.withLockedValue { $0.onboardAsks } == (hasProject ? 0 : 3))
            #expect(try store.credentials(for: subscription.provider) == resolved)
            #expect(provider.rejections == [])
            #expect(backend.rejections == [])
            #expect(provider.exchanges == 1)
        }
    }

    @Test(arguments: Subscription.all)
    func theModelsAreListedAndAConfigEntryKeepsItsFields(_ subscription: Subscription) async throws {
        let yaml = """
            models:
              - model_id: \(subscription.modelID)
                provider: \(subscription.provider.rawValue)
                model_name: \(subscription.model)-custom
            """
        try await subscription.withLogin(configYAML: { _ in yaml }) { setup in
            let models = try await setup.proxy.send(.GET, "/v1/models")
            for model in subscription.provider.builtInModels {
                #expect(models.text.contains(#""id":"\#(subscription.provider.rawValue)/\#(model)""#), "\(models.text)")
            }
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: subscription.modelID))
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(setup.proxy.stub.requests.last).body)
            #expect(sent["model"]?.stringValue == subscription.model + "-custom")
            #expect(setup.backend.rejections == [])
        }
    }

    @Test(arguments: Subscription.all)
    func anExpiredTokenIsRefreshedAndA401RetriedOnce(_ subscription: Subscription) async throws {
        try await subscription.withLogin(expiresAt: Date().addingTimeInterval(-60)) { setup in
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: subscription.modelID))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.provider.refreshes == 1)
            let fresh = try #require(try setup.store.credentials(for: subscription.provider))
            #expect(fresh.project == subscription.project, "a refresh keeps the project")
            #expect(setup.proxy.stub.requests.last?.header("authorization") == "Bearer \(fresh.accessToken)")
            // A token the backend no longer takes: refreshed once, and
            // sent again.
            setup.backend.revoke(fresh.accessToken)
            let again = try await setup.proxy.post(json: ProxyHarness.messages(model: subscription.modelID))
            #expect(again.status == 200, "\(again.text)")
            #expect(setup.provider.refreshes == 2)
            #expect(setup.provider.rejections == [])
        }
    }

    @Test(arguments: Subscription.all)
    func aFailedRefreshSaysToLogInAgain(_ subscription: Subscription) async throws {
        try await subscription.withLogin(expiresAt: .distantPast, refusesRefresh: true) { setup in
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: subscription.modelID))
            #expect(reply.status == 401)
            #expect(reply.errorType == "authentication_error")
            #expect(
                reply.errorMessage?.contains("`proxy login --\(subscription.provider.rawValue)` again") == true,
                "\(reply.text)")
            #expect(setup.backend.state.withLockedValue { $0.generateRequests } == 0)
        }
    }

    @Test(arguments: Subscription.all)
    func anExhaustedQuotaIsA429WithTheResetTime(_ subscription: Subscription) async throws {
        try await subscription.withLogin { setup in
            let quota = String(
                decoding: try Fixtures.bytes(atPath: try Fixtures.path("providers/gemini/google-429-retry-info.json")),
                as: UTF8.self)
            setup.backend.state.withLockedValue { $0.quotaExhausted = .json(429, quota) }
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: subscription.modelID))
            #expect(reply.status == 429)
            #expect(reply.errorType == "rate_limit_error")
            #expect(reply.errorMessage?.hasPrefix(subscription.product + " quota exhausted") == true, "\(reply.text)")
            #expect(reply.errorMessage?.contains("resets at") == true, "\(reply.text)")
            #expect(reply.headers.first(name: "retry-after") == "35")
        }
    }

    @Test(arguments: Subscription.all)
    func noTokenReachesTheLogTheCassetteOrTheProvidersReport(_ subscription: Subscription) async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        let log = CapturedLog()
        let provider = try await subscription.withLogin(
            expiresAt: .distantPast, recording: cassette.recording, log: log
        ) { setup in
            #expect(try await setup.proxy.post(json: ProxyHarness.messages(model: subscription.modelID)).status == 200)
            let streamed = try await setup.proxy.post(
                json: ProxyHarness.messages(model: subscription.modelID, stream: true))
            #expect(streamed.status == 200)
            let report = try SubscriptionLogins(store: setup.store).report()
            #expect(report.contains("\(subscription.provider.rawValue): "))
            #expect(report.contains("logged in as \(StubOAuthProvider.email)"))
            #expect(report.contains("project: \(subscription.project)"))
            for token in setup.provider.issuedTokens { #expect(!report.contains(token)) }
            return setup.provider
        }
        try provider.expectNoIssuedToken(
            in: cassette, recordedPath: "streamGenerateContent", log: log, minimumTokens: 4)
    }
}
