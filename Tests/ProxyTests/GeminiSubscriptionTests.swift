import Cassette
import Foundation
import TestSupport
import Testing
import Wire

@testable import Proxy

/// A Gemini Code Assist login (`proxy login --gemini`): Google's OAuth flow
/// and the project resolution against stubs, then the `gemini/...` models
/// served through a stub Code Assist backend that checks the envelope and
/// answers in its wrapped shape.
@Suite struct GeminiSubscriptionTests {
    static let existingProject = "my-workspace-project"
    static let streamedText = "There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y"
    static let wholeText = "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y."

    static func environment(_ stub: StubHTTPServer) -> [String: String] {
        [
            "SWITCHBOARD_GEMINI_AUTH_BASE": stub.baseURL, "SWITCHBOARD_GEMINI_API_BASE": stub.baseURL,
            "SWITCHBOARD_GEMINI_REDIRECT_URI": "http://localhost:0/oauth2callback",
        ]
    }

    /// `proxy login --gemini`'s steps in process: the browser step, then the
    /// project, against a provider and backend on one stub.
    static func logIn(project: String?) async throws -> (ProviderCredentials, StubOAuthProvider, StubCodeAssistBackend)
    {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("gemini-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        let provider = StubOAuthProvider(profile: .google)
        let backend = try StubCodeAssistBackend(provider: provider, project: project)
        return try await StubHTTPServer.withRunning { stub in
            stub.replyFor = { provider.reply($0) ?? backend.reply($0) ?? .json(404, #"{"error":"not_found"}"#) }
            let environment = Self.environment(stub)
            let login = try await OAuthLogin(settings: .gemini(environment: environment), store: store).run(
                present: { prompt in _ = try? await ScriptedBrowser.open(prompt.authorizationURL) })
            #expect(login.account == StubOAuthProvider.email)
            let resolved = try await SubscriptionLogins(store: store).resolveProject(
                of: .gemini, for: login, environment: environment, pollInterval: .zero)
            #expect(try store.credentials(for: .gemini) == resolved)
            #expect(provider.rejections == [])
            #expect(backend.rejections == [])
            #expect(provider.exchanges == 1)
            return (resolved, provider, backend)
        }
    }

    @Test func aLoginFindsTheUsersExistingProject() async throws {
        let (login, _, backend) = try await Self.logIn(project: Self.existingProject)
        #expect(login.project == Self.existingProject)
        #expect(backend.state.withLock { $0.onboardAsks } == 0)
    }

    @Test func aLoginWithoutAProjectOnboardsToTheFreeTier() async throws {
        let (login, _, backend) = try await Self.logIn(project: nil)
        #expect(login.project == StubCodeAssistBackend.onboardedProject)
        // Asked until the operation was done.
        #expect(backend.state.withLock { $0.onboardAsks } == 3)
    }

    typealias Setup = SubscriptionSetup<StubCodeAssistBackend>

    static func withLogin<T>(
        expiresAt: Date = .distantFuture,
        configYAML: @escaping (String) -> String = ProxyHarness.plainConfig,
        recording: ExchangeRecording? = nil, log: CapturedLog? = nil, _ body: (Setup) async throws -> T
    ) async throws -> T {
        try await ProxyHarness.withSubscriptionLogin(
            .gemini, profile: .google, expiresAt: expiresAt, account: StubOAuthProvider.email,
            project: Self.existingProject,
            backend: { try StubCodeAssistBackend(provider: $0, project: Self.existingProject) },
            configYAML: configYAML,
            recording: recording, log: log, body)
    }

    @Test func aStreamingClientGetsTheWrappedStreamConverted() async throws {
        try await Self.withLogin { setup in
            let reply = try await setup.proxy.post(
                "/v1/messages?beta=true", json: ProxyHarness.messages(model: "gemini/gemini-2.5-pro", stream: true))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.backend.rejections == [])
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            let message = GeminiAndResponsesRouteTests.StreamedMessage(reply)
            #expect(message.texts.first == Self.streamedText)
            #expect(message.stopReason == "end_turn")
            let sent = try #require(setup.proxy.stub.requests.last)
            #expect(sent.path == "/v1internal:streamGenerateContent")
            #expect(sent.query == "alt=sse")
            #expect(sent.header("authorization") == "Bearer \(setup.login.accessToken)")
            #expect(sent.header("x-goog-api-key") == nil)
            #expect(sent.header("client-metadata")?.contains("pluginType=GEMINI") == true)
            let body = try JSONValue(parsing: sent.body)
            #expect(body["model"]?.stringValue == "gemini-2.5-pro")
            #expect(body["project"]?.stringValue == Self.existingProject)
            #expect(body["request"]?["contents"]?[0]?["parts"]?[0]?["text"] == "Say hello")
        }
    }

    @Test func aNonStreamingClientGetsTheWrappedAnswerConverted() async throws {
        try await Self.withLogin { setup in
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "gemini/gemini-2.5-pro"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.backend.rejections == [])
            let text = reply.json?["content"]?.arrayValue?.first { $0["type"] == "text" }?["text"]?.stringValue
            #expect(text == Self.wholeText, "\(reply.text)")
            #expect(reply.json?["model"]?.stringValue == "gemini/gemini-2.5-pro")
            let sent = try #require(setup.proxy.stub.requests.last)
            #expect(sent.path == "/v1internal:generateContent")
        }
    }

    @Test func aGeminiClientGetsThePublicAPIsShapeUnwrapped() async throws {
        let yaml = "models:\n  - {model_id: gpro, provider: gemini, model_name: gemini-2.5-pro}\n"
        try await Self.withLogin(configYAML: { _ in yaml }) { setup in
            let request: JSONValue = ["contents": [["role": "user", "parts": [["text": "Hi"]]]]]
            let whole = try await setup.proxy.post("/v1beta/models/gpro:generateContent", json: request)
            #expect(whole.status == 200, "\(whole.text)")
            let expected = try JSONValue(
                parsing: try Fixtures.bytes(atPath: try Fixtures.path("providers/gemini/google-text.json")))
            #expect(whole.json == expected)
            let streamed = try await setup.proxy.post("/v1beta/models/gpro:streamGenerateContent", json: request)
            #expect(streamed.status == 200, "\(streamed.text)")
            let chunks = try Fixtures.chunkPayloads(
                atPath: try Fixtures.path("providers/gemini/google-text.chunks.txt"))
            #expect(streamed.json == .array(try chunks.map { try JSONValue(parsing: $0) }))
            let sent = try JSONValue(parsing: try #require(setup.proxy.stub.requests.last).body)
            #expect(sent["request"]?["contents"] == request["contents"])
            #expect(setup.backend.rejections == [])
        }
    }

    @Test func theModelsAreListedAndAConfigEntryKeepsItsFields() async throws {
        let yaml = """
            models:
              - model_id: gemini/gemini-2.5-pro
                provider: gemini
                model_name: gemini-2.5-pro-preview
            """
        try await Self.withLogin(configYAML: { _ in yaml }) { setup in
            let models = try await setup.proxy.send(.GET, "/v1/models")
            for model in SubscriptionProvider.gemini.builtInModels {
                #expect(models.text.contains(#""id":"gemini/\#(model)""#), "\(models.text)")
            }
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "gemini/gemini-2.5-pro"))
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(setup.proxy.stub.requests.last).body)
            #expect(sent["model"]?.stringValue == "gemini-2.5-pro-preview")
        }
    }

    @Test func anExpiredTokenIsRefreshedAndA401RetriedOnce() async throws {
        try await Self.withLogin(expiresAt: Date().addingTimeInterval(-60)) { setup in
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "gemini/gemini-2.5-flash"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.provider.refreshes == 1)
            let fresh = try #require(try setup.store.credentials(for: .gemini))
            #expect(fresh.project == Self.existingProject, "a refresh keeps the project")
            #expect(setup.proxy.stub.requests.last?.header("authorization") == "Bearer \(fresh.accessToken)")
            // A token the backend no longer takes: refreshed once, and
            // sent again.
            setup.backend.revoke(fresh.accessToken)
            let again = try await setup.proxy.post(json: ProxyHarness.messages(model: "gemini/gemini-2.5-flash"))
            #expect(again.status == 200, "\(again.text)")
            #expect(setup.provider.refreshes == 2)
        }
    }

    @Test func anExhaustedQuotaIsA429WithTheResetTime() async throws {
        try await Self.withLogin { setup in
            let quota = String(
                decoding: try Fixtures.bytes(
                    atPath: try Fixtures.path("providers/gemini/google-429-retry-info.json")), as: UTF8.self)
            setup.backend.state.withLock { $0.quotaExhausted = .json(429, quota) }
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "gemini/gemini-2.5-pro"))
            #expect(reply.status == 429)
            #expect(reply.errorType == "rate_limit_error")
            #expect(reply.errorMessage?.contains("quota exhausted") == true, "\(reply.text)")
            #expect(reply.errorMessage?.contains("resets at") == true, "\(reply.text)")
            #expect(reply.headers.first(name: "retry-after") == "35")
        }
    }

    @Test func theQuotaMessageReadsGooglesDelays() throws {
        #expect(CodeAssistBackend.duration("34.4s") == 34.4)
        #expect(CodeAssistBackend.duration("1h2m3s") == 3723)
        #expect(CodeAssistBackend.duration("soon") == nil)
        #expect(CodeAssistBackend.quotaError(status: 400, body: Array("{}".utf8)) == nil)
        let plain = try #require(CodeAssistBackend.quotaError(status: 429, body: Array("{}".utf8)))
        #expect(plain.message.hasSuffix("try again later"))
    }

    @Test func noTokenReachesTheLogTheCassetteOrTheProvidersReport() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        let log = CapturedLog()
        let provider = try await Self.withLogin(
            expiresAt: .distantPast, recording: cassette.recording, log: log
        ) { setup in
            #expect(
                try await setup.proxy.post(json: ProxyHarness.messages(model: "gemini/gemini-2.5-pro")).status == 200)
            let streamed = try await setup.proxy.post(
                json: ProxyHarness.messages(model: "gemini/gemini-2.5-pro", stream: true))
            #expect(streamed.status == 200)
            let report = try SubscriptionLogins(store: setup.store).report()
            #expect(report.contains("logged in as \(StubOAuthProvider.email)"))
            #expect(report.contains("project: \(Self.existingProject)"))
            for token in setup.provider.issuedTokens { #expect(!report.contains(token)) }
            return setup.provider
        }
        try provider.expectNoIssuedToken(
            in: cassette, recordedPath: "streamGenerateContent", log: log, minimumTokens: 4)
    }
}
