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
/// system instruction it expects, and answers in its wrapped shape. What
/// Gemini Code Assist shares is in ``CodeAssistSubscriptionTests``.
@Suite struct AntigravitySubscriptionTests {
    static let subscription = CodeAssistSubscriptionTests.Subscription.antigravity

    @Test func aStreamingClientGetsTheWrappedStreamConverted() async throws {
        try await Self.subscription.withLogin { setup in
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
            #expect(body["project"]?.stringValue == Self.subscription.project)
            let system = body["request"]?["systemInstruction"]?["parts"]
            #expect(system?[0]?["text"]?.stringValue == SubscriptionBackendBody.identity)
            #expect(system?[1]?["text"]?.stringValue == "Be brief.")
            #expect(body["request"]?["contents"]?[0]?["parts"]?[0]?["text"] == "Say hello")
        }
    }

    @Test func aClaudeThinkingModelGetsValidatedToolsABudgetAndTheBeta() async throws {
        try await Self.subscription.withLogin { setup in
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
        try await Self.subscription.withLogin { setup in
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

}
