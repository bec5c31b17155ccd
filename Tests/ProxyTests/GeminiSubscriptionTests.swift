import Cassette
import Convert
import Foundation
import NIOHTTP1
import TestSupport
import Testing
import Wire

@testable import Proxy

/// A Gemini Code Assist login (`proxy login --gemini`): Google's OAuth flow
/// and the project resolution against stubs, then the `gemini/...` models
/// served through a stub Code Assist backend that checks the envelope and
/// answers in its wrapped shape. What Antigravity shares is in
/// ``CodeAssistSubscriptionTests``.
@Suite struct GeminiSubscriptionTests {
    static let streamedText = "There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y"
    static let wholeText = "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y."
    static let subscription = CodeAssistSubscriptionTests.Subscription.gemini

    @Test func aStreamingClientGetsTheWrappedStreamConverted() async throws {
        try await Self.subscription.withLogin { setup in
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
            #expect(body["project"]?.stringValue == Self.subscription.project)
            #expect(body["request"]?["contents"]?[0]?["parts"]?[0]?["text"] == "Say hello")
        }
    }

    @Test func aNonStreamingClientGetsTheWrappedAnswerConverted() async throws {
        try await Self.subscription.withLogin { setup in
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
        try await Self.subscription.withLogin(configYAML: { _ in yaml }) { setup in
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

    @Test func theQuotaMessageReadsGooglesDelays() throws {
        #expect(CodeAssistBackend.duration("34.4s") == 34.4)
        #expect(CodeAssistBackend.duration("1h2m3s") == 3723)
        #expect(CodeAssistBackend.duration("soon") == nil)
        #expect(CodeAssistBackend.quotaError(status: 400, body: Array("{}".utf8)) == nil)
        let plain = try #require(CodeAssistBackend.quotaError(status: 429, body: Array("{}".utf8)))
        #expect(plain.message.hasSuffix("try again later"))
        // A reset no client can wait for is no reset time; as an Int it trapped.
        let absurd = Array(
            #"{"error":{"message":"m","details":[{"retryDelay":"10000000000000000000000s"}]}}"#.utf8)
        let unknown = try #require(CodeAssistBackend.quotaError(status: 429, body: absurd))
        #expect(unknown.message.hasSuffix("try again later") && unknown.retryAfter == nil)
        let soon = try #require(
            CodeAssistBackend.quotaError(
                status: 429, body: Array(#"{"error":{"details":[{"retryDelay":"90s"}]}}"#.utf8)))
        #expect(soon.retryAfter == "90")
    }

    @Test func theCodexLimitMessageIgnoresAnAbsurdReset() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for body in [
            #"{"error":{"type":"usage_limit_reached","resets_at":1e300}}"#,
            #"{"error":{"type":"usage_limit_reached","resets_at":-1e300}}"#,
            #"{"error":{"type":"usage_limit_reached","resets_in_seconds":1e20}}"#,
        ] {
            let error = try #require(CodexBackend.usageLimitError(status: 429, body: Array(body.utf8), now: now))
            #expect(error.message.hasSuffix("try again later") && error.retryAfter == nil, "\(body)")
        }
        let past = try #require(
            CodexBackend.usageLimitError(
                status: 429, body: Array(#"{"error":{"type":"usage_limit_reached","resets_at":1}}"#.utf8), now: now))
        #expect(past.retryAfter == "0")
    }

    /// A usage limit's own wait (its reset, from the body) is what the
    /// client is told: the answer's finer `retry-after-ms`, which the SDKs
    /// and the fallback wait read first, does not override it.
    @Test func aUsageLimitsResetIsNotOverriddenByTheHeadersFinerHint() throws {
        let body = #"{"error":{"type":"usage_limit_reached","resets_in_seconds":3600}}"#
        let limit = try #require(CodexBackend.usageLimitError(status: 429, body: Array(body.utf8)))
        var headers = HTTPHeaders()
        headers.add(name: "retry-after-ms", value: "100")
        headers.add(name: "x-should-retry", value: "true")
        let hinted = limit.keepingRetryHints(of: headers)
        #expect(hinted.retryAfter == "3600")
        #expect(hinted.retryAfterMillis == nil)
        #expect(hinted.shouldRetry == true)
        // With no wait of its own, the header's are the error's.
        headers.add(name: "retry-after", value: "2")
        let plain = APIError(status: 429, type: "rate_limit_error", message: "slow", retryAfter: "2")
        #expect(plain.keepingRetryHints(of: headers).retryAfterMillis == "100")
    }

}
