import Cassette
import Convert
import Foundation
import TestSupport
import Testing
import Wire

@testable import Proxy

/// A Codex login (`proxy login --codex`) serves the `codex/...` models
/// through a stub Codex backend that checks what the real one checks, with
/// the token refreshed from a stub OAuth provider before it expires and
/// after a 401.
@Suite struct CodexSubscriptionTests {
    static let finalText = "The final result is **570**."

    /// The backend's answer: the Responses stream of a real response, in
    /// small pieces (or whole, for many requests at once).
    static func stream(whole: Bool = false) throws -> StubHTTPServer.Reply {
        let payloads = try Fixtures.chunkPayloads(
            atPath: try Fixtures.path("providers/openai-responses/openai-reasoning-encrypted-content.1.chunks.txt"))
        let start = try #require(payloads.lastIndex { $0.hasPrefix(#"{"type":"response.created""#) })
        let bytes = Fixtures.sseBytes(payloads: Array(payloads[start...]), framing: .namedByType)
        return whole
            ? .eventStream([String(decoding: bytes, as: UTF8.self)]) : .eventStream(splitting: bytes, maxPiece: 61)
    }

    typealias Setup = SubscriptionSetup<StubCodexBackend>

    /// A proxy with a Codex login expiring at `expiresAt`, the provider and
    /// the backend on its stub.
    static func withLogin<T>(
        expiresAt: Date = .distantFuture, refusesRefresh: Bool = false,
        configYAML: @escaping (String) -> String = ProxyHarness.plainConfig,
        recording: ExchangeRecording? = nil,
        log: CapturedLog? = nil, _ body: (Setup) async throws -> T
    ) async throws -> T {
        try await ProxyHarness.withSubscriptionLogin(
            .codex, profile: .codex, expiresAt: expiresAt, refusesRefresh: refusesRefresh,
            backend: { StubCodexBackend(provider: $0, answer: try stream()) }, configYAML: configYAML,
            recording: recording, log: log, body)
    }

    @Test func aStreamingClientGetsTheBackendsStreamConverted() async throws {
        try await Self.withLogin { setup in
            var request = ProxyHarness.messages(model: "codex/gpt-5.2-codex", stream: true)
            request["system"] = "Be brief."
            let reply = try await setup.proxy.post("/v1/messages?beta=true", json: request)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.backend.rejections == [])
            #expect(GeminiAndResponsesRouteTests.StreamedMessage(reply).texts == [Self.finalText])
            let sent = try #require(setup.proxy.stub.requests.last)
            #expect(sent.path == "/backend-api/codex/responses")
            #expect(sent.query == nil)
            #expect(sent.header("authorization") == "Bearer \(setup.login.accessToken)")
            let body = try JSONValue(parsing: sent.body)
            #expect(body["model"]?.stringValue == "gpt-5.2-codex")
            #expect(body["instructions"]?.stringValue == "Be brief.")
            #expect(setup.provider.refreshes == 0)
        }
    }

    /// The backend refuses sampling settings for every model it serves
    /// ("Unsupported parameter: temperature"): they are left out, with a
    /// warning, as for OpenAI's reasoning models.
    @Test func noSamplingSettingReachesTheBackend() async throws {
        let log = CapturedLog()
        try await Self.withLogin(log: log) { setup in
            var request = ProxyHarness.messages(model: "codex/gpt-5.2", stream: true)
            request["temperature"] = 0.3
            request["top_p"] = 0.9
            let reply = try await setup.proxy.post("/v1/messages", json: request)
            #expect(reply.status == 200, "\(reply.text)")
            let body = try JSONValue(parsing: try #require(setup.proxy.stub.requests.last).body)
            #expect(body["temperature"] == nil && body["top_p"] == nil, "\(body)")
            #expect(
                log.messages.map(\.message).contains {
                    $0.contains("temperature 0.3 not sent: OpenAI reasoning model gpt-5.2 takes only the default (1)")
                })
        }
    }

    @Test func aNonStreamingClientGetsTheStreamCollected() async throws {
        try await Self.withLogin { setup in
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.backend.rejections == [])
            let text = reply.json?["content"]?.arrayValue?.first { $0["type"] == "text" }?["text"]?.stringValue
            #expect(text == Self.finalText, "\(reply.text)")
            #expect(reply.json?["stop_reason"]?.stringValue == "end_turn")
            // An OpenAI Chat client too, in its own shape.
            let chat: JSONValue = [
                "model": "codex/gpt-5.2", "messages": [["role": "user", "content": "Say hello"]],
            ]
            let chatReply = try await setup.proxy.post("/v1/chat/completions", json: chat)
            #expect(chatReply.status == 200, "\(chatReply.text)")
            #expect(chatReply.json?["choices"]?[0]?["message"]?["content"]?.stringValue == Self.finalText)
            let sent = try JSONValue(parsing: try #require(setup.proxy.stub.requests.last).body)
            #expect(sent["model"]?.stringValue == "gpt-5.2")
        }
    }

    /// A Responses client's `input_tokens` on a Codex route: the backend
    /// serves no count endpoint, so the answer is the local estimate in
    /// OpenAI's `response.input_tokens` shape, and nothing goes upstream.
    @Test func inputTokensAreEstimatedWithoutCallingTheBackend() async throws {
        try await Self.withLogin { setup in
            setup.proxy.stub.replyFor = { request in
                .json(500, #"{"error":{"message":"the upstream was called: \#(request.path)"}}"#)
            }
            let request: JSONValue = [
                "model": "codex/gpt-5.2-codex", "instructions": "Be brief.",
                "input": [["role": "user", "content": "How many tokens is this sentence?"]],
            ]
            let reply = try await setup.proxy.post("/v1/responses/input_tokens", json: request)
            #expect(reply.status == 200, "\(reply.text)")
            let pivot = try ClientRequest(endpoint: ClientEndpoint(dialect: .openaiResponses), body: request)
                .pivotRequest()
            let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: pivot.body)
            #expect(estimate > 5)
            #expect(reply.json == ["object": "response.input_tokens", "input_tokens": .int(Int64(estimate))])
            #expect(setup.proxy.stub.requests.map(\.path) == [])
            #expect(setup.backend.requests == 0)
        }
    }

    @Test func theModelsAreListedAndAConfigEntryKeepsItsFields() async throws {
        let yaml = """
            models:
              - model_id: codex/gpt-5.2-codex
                provider: codex
                model_name: gpt-5.2-codex-preview
                reasoning_effort: low
            """
        try await Self.withLogin(configYAML: { _ in yaml }) { setup in
            let models = try await setup.proxy.send(.GET, "/v1/models")
            for model in SubscriptionProvider.codex.builtInModels {
                #expect(models.text.contains(#""id":"codex/\#(model)""#), "\(models.text)")
            }
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(setup.proxy.stub.requests.last).body)
            #expect(sent["model"]?.stringValue == "gpt-5.2-codex-preview")
            #expect(sent["reasoning"]?["effort"]?.stringValue == "low")
            #expect(setup.backend.rejections == [])
        }
    }

    @Test func anExpiredTokenIsRefreshedBeforeTheRequest() async throws {
        try await Self.withLogin(expiresAt: Date().addingTimeInterval(-60)) { setup in
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.provider.refreshes == 1)
            #expect(setup.backend.requests == 1)
            let fresh = try #require(try setup.store.credentials(for: .codex))
            #expect(fresh.accessToken != setup.login.accessToken)
            #expect(fresh.refreshToken != setup.login.refreshToken)
            #expect(setup.proxy.stub.requests.last?.header("authorization") == "Bearer \(fresh.accessToken)")
        }
    }

    @Test func a401IsRefreshedAndTheRequestSentOnceMore() async throws {
        try await Self.withLogin { setup in
            setup.backend.revoke(setup.login.accessToken)
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(setup.provider.refreshes == 1)
            #expect(setup.backend.requests == 2)
            // Refused again after the refresh: no second refresh, no third
            // request; the client hears the 401.
            setup.backend.state.withLockedValue { $0.refusesEveryToken = true }
            let refused = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(refused.status == 401)
            #expect(setup.backend.requests == 4)
            #expect(setup.provider.refreshes == 2)
        }
    }

    /// 24 at once, not 50: a debug build on a loaded 2-core machine took
    /// past the client's 30 s for the last of 50 (deadlineExceeded), and 24
    /// show a refresh shared as well.
    @Test func requestsAtOnceWithAnExpiredTokenCauseOneRefresh() async throws {
        try await Self.withLogin(expiresAt: .distantPast) { setup in
            let whole = try Self.stream(whole: true)
            setup.backend.state.withLockedValue { $0.answer = whole }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await setup.proxy.post(
                            json: ProxyHarness.messages(model: "codex/gpt-5.2-codex", stream: index % 2 == 0)
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 24))
            #expect(setup.provider.refreshes == 1)
            #expect(setup.backend.requests == 24)
            #expect(setup.provider.rejections == [])
        }
    }

    @Test func aFailedRefreshSaysToLogInAgainInTheClientsShape() async throws {
        try await Self.withLogin(expiresAt: .distantPast, refusesRefresh: true) { setup in
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 401)
            #expect(reply.errorType == "authentication_error")
            #expect(reply.errorMessage?.contains("`proxy login --codex` again") == true, "\(reply.text)")
            let chat: JSONValue = [
                "model": "codex/gpt-5.2", "messages": [["role": "user", "content": "hi"]],
            ]
            let chatReply = try await setup.proxy.post("/v1/chat/completions", json: chat)
            #expect(chatReply.status == 401)
            #expect(chatReply.json?["error"]?["message"]?.stringValue?.contains("proxy login --codex") == true)
            #expect(setup.backend.requests == 0)
            for token in setup.provider.issuedTokens {
                #expect(!reply.text.contains(token) && !chatReply.text.contains(token))
            }
        }
    }

    @Test func aUsageLimitIsA429WithTheResetTime() async throws {
        try await Self.withLogin { setup in
            setup.backend.state.withLockedValue {
                $0.answer = .json(
                    404,
                    #"{"error":{"type":"usage_limit_reached","message":"The usage limit has been reached","plan_type":"plus","resets_in_seconds":1800}}"#
                )
            }
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 429)
            #expect(reply.errorType == "rate_limit_error")
            let message = reply.errorMessage ?? ""
            #expect(
                message.contains("usage limit") && message.contains("resets at") && message.contains("30 min"),
                "\(message)")
            #expect(reply.headers.first(name: "retry-after") == "1800")
        }
    }

    @Test func noTokenReachesTheLogTheCassetteOrTheProvidersReport() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        let log = CapturedLog()
        let (provider, store) = try await Self.withLogin(
            expiresAt: .distantPast, recording: cassette.recording, log: log
        ) { setup in
            #expect(try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex")).status == 200)
            setup.backend.revoke(try #require(try setup.store.credentials(for: .codex)).accessToken)
            let streamed = try await setup.proxy.post(
                json: ProxyHarness.messages(model: "codex/gpt-5.2-codex", stream: true))
            #expect(streamed.status == 200)
            #expect(setup.provider.refreshes == 2)
            let report = try SubscriptionLogins(store: setup.store).report()
            #expect(report.contains("logged in as \(StubOAuthProvider.account)"))
            for token in setup.provider.issuedTokens { #expect(!report.contains(token)) }
            return (setup.provider, setup.store)
        }
        _ = store
        try provider.expectNoIssuedToken(
            in: cassette, recordedPath: "codex/responses", log: log, minimumTokens: 6)
    }

    /// The backend's stream failing with a message that quotes the token it
    /// got: a client that did not ask for a stream (the stream collected)
    /// gets the token's fingerprint, and so do the cassette and the log,
    /// also when the failure comes in two chunks, the first holding the token.
    @Test(arguments: [false, true])
    func aTokenTheStreamsFailureQuotesReachesNoClientCassetteOrLog(cutAfterTheToken: Bool) async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        let log = CapturedLog()
        let provider = try await Self.withLogin(recording: cassette.recording, log: log) { setup in
            let token = setup.login.accessToken
            let failure =
                "event: response.failed\ndata: "
                + #"{"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","#
                + #""message":"token \#(token) was refused"}}}"# + "\n\n"
            let cut = failure.range(of: token)!.upperBound
            let chunks = cutAfterTheToken ? [String(failure[..<cut]), String(failure[cut...])] : [failure]
            setup.backend.state.withLockedValue { $0.answer = .eventStream(chunks, delay: .milliseconds(50)) }
            let reply = try await setup.proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 502)
            #expect(!reply.text.contains(token), "\(reply.text)")
            #expect(reply.errorMessage?.contains("token \(Redactor.fingerprint(token)) was refused") == true)
            return setup.provider
        }
        try provider.expectNoIssuedToken(in: cassette, recordedPath: "codex/responses", log: log, minimumTokens: 1)
    }
}
