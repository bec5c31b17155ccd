import Convert
import SSE
import TestSupport
import Testing
import Wire

/// tizee/anthropic-proxy's fields at work, through the real server:
/// `can_stream: false`, `reasoning_effort: minimal` and `provider`.
@Suite struct TizeeRouteTests {
    static func yaml(_ base: String) -> String {
        """
        - model_id: whole
          model_name: upstream-whole
          api_base: \(base)/v1
          can_stream: false
        - model_id: whole-claude
          model_name: upstream-claude
          api_base: \(base)
          direct: true
          can_stream: false
        - model_id: plain
          model_name: upstream-plain
          api_base: \(base)/v1
          reasoning_effort: minimal
        - model_id: plain-claude
          model_name: upstream-claude
          api_base: \(base)
          direct: true
          reasoning_effort: minimal
        - model_id: none-gemini
          model_name: upstream-gemini
          api_base: \(base)/v1beta
          format: gemini
          reasoning_effort: none
        - model_id: codex/gpt-5.2-codex
          provider: codex
        """
    }

    static func run<T>(_ body: (ProxyHarness) async throws -> T) async throws -> T {
        try await ProxyHarness.run(configYAML: yaml, body)
    }

    private static func frames(_ text: String) -> [SSEEvent] {
        var parser = SSEParser()
        return parser.parse(Array(text.utf8)) + parser.finish()
    }

    @Test func anthropicClientStreamIsMadeFromTheWholeAnswer() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "whole", stream: true))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty, "\(reply.text)")
            #expect(reply.text.contains(#""text":"Hello there""#))
            #expect(reply.text.contains(#""stop_reason":"end_turn""#))
            #expect(reply.text.contains(#""model":"whole""#))
            let sent = try #require(proxy.stub.requests.last)
            #expect(sent.path == "/v1/chat/completions")
            let body = try JSONValue(parsing: sent.body)
            #expect(body["stream"] == nil && body["stream_options"] == nil, "\(sent.bodyText)")
            #expect(sent.header("accept") == "application/json")
        }
    }

    @Test func otherClientsStreamsAreMadeThroughThePivotToo() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let openAI = try await proxy.post(
                "/v1/chat/completions",
                json: [
                    "model": "whole", "stream": true, "stream_options": ["include_usage": true],
                    "messages": [["role": "user", "content": "Hi"]],
                ])
            #expect(openAI.status == 200, "\(openAI.text)")
            let openAIFrames = Self.frames(openAI.text)
            #expect(OpenAIChatStreamChecker.violations(in: openAIFrames, expectUsage: true).isEmpty, "\(openAI.text)")
            #expect(openAI.text.contains("Hello there"))
            #expect(try JSONValue(parsing: try #require(proxy.stub.requests.last).body)["stream"] == .bool(false))

            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let gemini = try await proxy.post(
                "/v1beta/models/whole-claude:streamGenerateContent?alt=sse",
                json: ["contents": [["role": "user", "parts": [["text": "Hi"]]]]])
            #expect(gemini.status == 200, "\(gemini.text)")
            #expect(GeminiStreamChecker.violations(in: Self.frames(gemini.text)).isEmpty, "\(gemini.text)")
            #expect(gemini.text.contains(#""text":"Hi""#))
            let sent = try #require(proxy.stub.requests.last)
            #expect(sent.path == "/v1/messages")
            #expect(try JSONValue(parsing: sent.body)["stream"] != .bool(true))
        }
    }

    @Test func anUnreadableWholeAnswerIsAnErrorEventInTheStream() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, "not json at all")
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "whole", stream: true))
            #expect(reply.status == 200)
            let frames = sseFrames(reply.text)
            #expect(frames.last?.event == "error", "\(reply.text)")
            #expect(reply.text.contains("sent a body that is not JSON"))
        }
    }

    @Test func nonStreamingClientsOfSuchARouteAreServedAsBefore() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "whole"))
            #expect(reply.status == 200)
            #expect(reply.json?["content"]?[0]?["text"] == "Hello there")
        }
    }

    @Test func minimalReasoningTakesThinkingOutOfTheRequest() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            var thinking = ProxyHarness.messages(model: "plain", maxTokens: 20000)
            thinking["thinking"] = ["type": "enabled", "budget_tokens": 16000]
            #expect(try await proxy.post(json: thinking).status == 200)
            var sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["reasoning_effort"] == nil, "\(sent)")

            // An OpenAI client's own effort, passed through, is taken out too.
            _ = try await proxy.post(
                "/v1/chat/completions",
                json: ["model": "plain", "reasoning_effort": "high", "messages": [["role": "user", "content": "Hi"]]])
            sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["reasoning_effort"] == nil && sent["model"] == "upstream-plain", "\(sent)")

            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            thinking["model"] = "plain-claude"
            #expect(try await proxy.post(json: thinking).status == 200)
            sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["thinking"] == nil && sent["max_tokens"] == 20000, "\(sent)")
        }
    }

    /// OpenAI's `none` is `minimal`'s no thinking: a Gemini upstream got
    /// its largest budget for it (an effort its table did not know).
    @Test func noneReasoningTakesThinkingOutToo() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(
                200,
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"finishReason":"STOP"}],"#
                    + #""usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1}}"#)
            var thinking = ProxyHarness.messages(model: "none-gemini", maxTokens: 20000)
            thinking["thinking"] = ["type": "enabled", "budget_tokens": 16000]
            let reply = try await proxy.post(json: thinking)
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["generationConfig"] == ["maxOutputTokens": 20000], "\(sent)")
        }
    }

    @Test func aSubscriptionProviderWithoutALoginSaysToLogIn() async throws {
        try await Self.run { proxy in
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "codex/gpt-5.2-codex"))
            #expect(reply.status == 401)
            #expect(reply.errorType == "authentication_error")
            #expect(reply.errorMessage?.contains("`proxy login --codex`") == true, "\(reply.text)")
            #expect(proxy.stub.requests.isEmpty)
            // It is still listed, as configured.
            let list = try await proxy.send(.GET, "/v1/models")
            #expect(list.text.contains("codex/gpt-5.2-codex"))
        }
    }
}
