import Cassette
import Convert
import Testing
import Wire

@testable import Replay

/// `log-replay verify` shapes a replayed upstream body as the recording
/// shows its subscription backend took it, so sessions recorded through
/// Codex, Gemini Code Assist and Antigravity logins verify like any other.
@Suite struct SubscriptionBackendVerifyTests {
    static let converted: JSONValue = [
        "contents": [["role": "user", "parts": [["text": "Say hello"]]]],
        "tools": [["functionDeclarations": [["name": "Write"]]]],
    ]

    static func recorded(url: String, body: JSONValue) -> CassetteEvent {
        .upstreamRequest(
            exchange: "x1", timeMicros: 0, method: "POST", url: url, headers: ["content-type": "application/json"],
            body: body.serialized())
    }

    @Test func anAntigravityEnvelopeIsRebuiltWithTheRecordedProjectAndRequestID() {
        let sent = SubscriptionBackendBody.antigravity(
            Self.converted, model: "claude-sonnet-4-5", project: "p-1", requestID: "agent-recorded")
        let shaped = ExchangeVerifier.shapedLikeRecording(
            Self.converted,
            recorded: Self.recorded(url: "http://h/v1internal:streamGenerateContent?alt=sse", body: sent),
            model: "claude-sonnet-4-5")
        #expect(shaped == sent)
        #expect(shaped["request"]?["toolConfig"]?["functionCallingConfig"]?["mode"] == "VALIDATED")
    }

    @Test func aCodeAssistEnvelopeAndCodexSettingsAreRebuilt() {
        let envelope = CodeAssistEnvelope.wrapped(Self.converted, model: "gemini-2.5-pro", project: "p-2")
        #expect(
            ExchangeVerifier.shapedLikeRecording(
                Self.converted, recorded: Self.recorded(url: "http://h/v1internal:generateContent", body: envelope),
                model: "gemini-2.5-pro") == envelope)
        let responses: JSONValue = ["model": "gpt-5.2-codex", "input": [], "max_output_tokens": 100]
        let codex = ExchangeVerifier.shapedLikeRecording(
            responses, recorded: Self.recorded(url: "http://h/backend-api/codex/responses", body: [:]),
            model: "gpt-5.2-codex")
        #expect(codex == SubscriptionBackendBody.codex(responses))
        #expect(codex["max_output_tokens"] == nil && codex["store"] == false)
    }

    @Test func anyOtherBodyIsLeftAlone() {
        let plain = ExchangeVerifier.shapedLikeRecording(
            Self.converted, recorded: Self.recorded(url: "http://h/v1beta/models/m:generateContent", body: [:]),
            model: "m")
        #expect(plain == Self.converted)
    }
}
