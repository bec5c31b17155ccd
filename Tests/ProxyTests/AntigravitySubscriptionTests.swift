import Cassette
import Convert
import Foundation
import TestSupport
import Testing
import Wire

@testable import Proxy

/// An Antigravity login (`proxy login --antigravity`): Google's OAuth flow
/// with the Antigravity IDE's client and the project resolution against
/// stubs, then the `antigravity/...` models served through a stub of
/// Antigravity's backend that checks its headers, its envelope and the
/// system instruction it expects, and answers in its wrapped shape.
@Suite struct AntigravitySubscriptionTests {
    static let project = "antigravity-project-77"

    typealias Setup = SubscriptionSetup<StubCodeAssistBackend>

    static func withLogin<T>(
        expiresAt: Date = .distantFuture, refusesRefresh: Bool = false,
        configYAML: @escaping (String) -> String = ProxyHarness.plainConfig,
        recording: ExchangeRecording? = nil,
        log: CapturedLog? = nil, _ body: (Setup) async throws -> T
    ) async throws -> T {
        try await ProxyHarness.withSubscriptionLogin(
            .antigravity, profile: .antigravity, expiresAt: expiresAt, refusesRefresh: refusesRefresh,
            account: StubOAuthProvider.email, project: Self.project,
            backend: {
                try StubCodeAssistBackend(provider: $0, project: Self.project, variant: .antigravity)
            },
            configYAML: configYAML, recording: recording, log: log, body)
    }

    @Test(arguments: [AntigravitySubscriptionTests.project, nil])
    func aLoginResolvesTheProject(existing: String?) async throws {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "ag-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        let provider = StubOAuthProvider(profile: .antigravity)
        let backend = try StubCodeAssistBackend(
            provider: provider, project: existing, variant: .antigravity)
        try await StubHTTPServer.withRunning { stub in
            stub.replyFor = {
                provider.reply($0) ?? backend.reply($0) ?? .json(404, #"{"error":"not_found"}"#)
            }
            let environment = [
                "SWITCHBOARD_ANTIGRAVITY_AUTH_BASE": stub.baseURL,
                "SWITCHBOARD_ANTIGRAVITY_API_BASE": stub.baseURL,
                "SWITCHBOARD_ANTIGRAVITY_REDIRECT_URI": "http://localhost:0/oauth-callback",
            ]
            let login = try await OAuthLogin(
                settings: .antigravity(environment: environment), store: store
            ).run(
                present: { prompt in _ = try? await ScriptedBrowser.open(prompt.authorizationURL) })
            #expect(login.account == StubOAuthProvider.email)
            let resolved = try await SubscriptionLogins(store: store).resolveProject(
                of: .antigravity, for: login, environment: environment, pollInterval: .zero)
            #expect(resolved.project == existing ?? StubCodeAssistBackend.onboardedProject)
            #expect(try store.credentials(for: .antigravity) == resolved)
            #expect(provider.rejections == [])
            #expect(backend.rejections == [])
            #expect(provider.exchanges == 1)
        }
    }

    @Test func aStreamingClientGetsTheWrappedStreamConverted() async throws {
        try await Self.withLogin { setup in
            var request = ProxyHarness.messages(model: "antigravity/gemini-3-pro-preview", stream: true)
            request["system"] = "Be brief."
            let reply = try await setup.proxy.post("/v1/messages?beta=true", json: request)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.backend.rejections == [])
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            let message = GeminiAndResponsesRouteTests.StreamedMessage(reply)
            #expect(message.texts.first == GeminiSubscriptionTests.streamedText)
            #expect(message.stopReason == "end_turn")
            let sent = try #require(setup.proxy.stub.requests.last)
            #expect(sent.path == "/v1internal:streamGenerateContent")
            #expect(sent.query == "alt=sse")
            #expect(sent.header("authorization") == "Bearer \(setup.login.accessToken)")
            #expect(sent.header("anthropic-beta") == nil)
            let body = try JSONValue(parsing: sent.body)
            #expect(body["model"]?.stringValue == "gemini-3-pro-preview")
            #expect(body["project"]?.stringValue == Self.project)
            let system = body["request"]?["systemInstruction"]?["parts"]
            #expect(system?[0]?["text"]?.stringValue == SubscriptionBackendBody.identity)
            #expect(system?[1]?["text"]?.stringValue == "Be brief.")
            #expect(body["request"]?["contents"]?[0]?["parts"]?[0]?["text"] == "Say hello")
        }
    }

    @Test func aClaudeThinkingModelGetsValidatedToolsABudgetAndTheBeta() async throws {
        try await Self.withLogin { setup in
            var request = ProxyHarness.messages(
                model: "antigravity/claude-sonnet-4-5-thinking", stream: true)
            request["tools"] = [
                [
                    "name": "Write", "description": "Write a file",
                    "input_schema": [
                        "type": "object", "properties": ["file_path": ["type": "string"]],
                        "required": ["file_path"],
                    ],
                ]
            ]
            let reply = try await setup.proxy.post("/v1/messages?beta=true", json: request)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.backend.rejections == [])
            let sent = try #require(setup.proxy.stub.requests.last)
            #expect(sent.header("anthropic-beta") == AntigravityBackend.thinkingBeta.value)
            let inner = try JSONValue(parsing: sent.body)["request"]
            #expect(inner?["toolConfig"]?["functionCallingConfig"]?["mode"] == "VALIDATED")
            // max_tokens 100: the smallest budget, and the client's 100 tokens of answer above it.
            #expect(inner?["generationConfig"]?["thinkingConfig"]?["thinkingBudget"]?.intValue == 1024)
            #expect(inner?["generationConfig"]?["maxOutputTokens"]?.intValue == 1024 + 100)
        }
    }

    @Test func aNonStreamingClientGetsTheWrappedAnswerConverted() async throws {
        try await Self.withLogin { setup in
            let reply = try await setup.proxy.post(
                json: ProxyHarness.messages(model: "antigravity/claude-sonnet-4-5"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.backend.rejections == [])
            let text = reply.json?["content"]?.arrayValue?.first { $0["type"] == "text" }?["text"]?
                .stringValue
            #expect(text == GeminiSubscriptionTests.wholeText, "\(reply.text)")
            #expect(try #require(setup.proxy.stub.requests.last).path == "/v1internal:generateContent")
        }
    }

    @Test func theModelsAreListedAndAConfigEntryKeepsItsFields() async throws {
        let yaml = """
            models:
              - model_id: antigravity/gemini-3-flash
                provider: antigravity
                model_name: gemini-3-flash-lite
            """
        try await Self.withLogin(configYAML: { _ in yaml }) { setup in
            let models = try await setup.proxy.send(.GET, "/v1/models")
            for model in SubscriptionProvider.antigravity.builtInModels {
                #expect(models.text.contains(#""id":"antigravity/\#(model)""#), "\(models.text)")
            }
            let reply = try await setup.proxy.post(
                json: ProxyHarness.messages(model: "antigravity/gemini-3-flash"))
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(setup.proxy.stub.requests.last).body)
            #expect(sent["model"]?.stringValue == "gemini-3-flash-lite")
            #expect(setup.backend.rejections == [])
        }
    }

    @Test func anExpiredTokenIsRefreshedAndA401RetriedOnce() async throws {
        try await Self.withLogin(expiresAt: Date().addingTimeInterval(-60)) { setup in
            let model = "antigravity/gemini-2.5-flash"
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: model))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.provider.refreshes == 1)
            let fresh = try #require(try setup.store.credentials(for: .antigravity))
            #expect(fresh.project == Self.project, "a refresh keeps the project")
            #expect(
                setup.proxy.stub.requests.last?.header("authorization") == "Bearer \(fresh.accessToken)")
            setup.backend.revoke(fresh.accessToken)
            let again = try await setup.proxy.post(json: ProxyHarness.messages(model: model))
            #expect(again.status == 200, "\(again.text)")
            #expect(setup.provider.refreshes == 2)
            #expect(setup.provider.rejections == [])
        }
    }

    @Test func aFailedRefreshSaysToLogInAgain() async throws {
        try await Self.withLogin(expiresAt: .distantPast, refusesRefresh: true) { setup in
            let reply = try await setup.proxy.post(
                json: ProxyHarness.messages(model: "antigravity/claude-sonnet-4-5"))
            #expect(reply.status == 401)
            #expect(reply.errorType == "authentication_error")
            #expect(
                reply.errorMessage?.contains("`proxy login --antigravity` again") == true, "\(reply.text)")
            #expect(setup.backend.state.withLock { $0.generateRequests } == 0)
        }
    }

    @Test func anExhaustedQuotaIsA429WithTheResetTime() async throws {
        try await Self.withLogin { setup in
            let quota = String(
                decoding: try Fixtures.bytes(
                    atPath: try Fixtures.path("providers/gemini/google-429-retry-info.json")), as: UTF8.self)
            setup.backend.state.withLock { $0.quotaExhausted = .json(429, quota) }
            let reply = try await setup.proxy.post(
                json: ProxyHarness.messages(model: "antigravity/claude-sonnet-4-5"))
            #expect(reply.status == 429)
            #expect(reply.errorType == "rate_limit_error")
            #expect(reply.errorMessage?.hasPrefix("Antigravity quota exhausted") == true, "\(reply.text)")
            #expect(reply.errorMessage?.contains("resets at") == true, "\(reply.text)")
            #expect(reply.headers.first(name: "retry-after") == "35")
        }
    }

    @Test func noTokenReachesTheLogTheCassetteOrTheProvidersReport() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        let log = CapturedLog()
        let provider = try await Self.withLogin(
            expiresAt: .distantPast, recording: cassette.recording, log: log
        ) { setup in
            let model = "antigravity/claude-sonnet-4-5"
            #expect(try await setup.proxy.post(json: ProxyHarness.messages(model: model)).status == 200)
            let streamed = try await setup.proxy.post(
                json: ProxyHarness.messages(model: model, stream: true))
            #expect(streamed.status == 200)
            let report = try SubscriptionLogins(store: setup.store).report()
            #expect(
                report.contains(
                    "antigravity: Antigravity (Google account)\n  logged in as \(StubOAuthProvider.email)"))
            #expect(report.contains("project: \(Self.project)"))
            for token in setup.provider.issuedTokens { #expect(!report.contains(token)) }
            return setup.provider
        }
        try provider.expectNoIssuedToken(
            in: cassette, recordedPath: "streamGenerateContent", log: log, minimumTokens: 4)
    }
}
