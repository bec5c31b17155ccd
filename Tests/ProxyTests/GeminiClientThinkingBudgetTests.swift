import Testing
import Wire

/// A Gemini client's thinking budget on an Anthropic route, as the
/// upstream gets it.
@Suite struct GeminiClientThinkingBudgetTests {
    /// With no `maxOutputTokens`, a budget over 27 904 made `max_tokens`
    /// the budget plus 4 096, over the 32 000 Claude Opus 4 takes: the
    /// budget is fitted down so the request is one it answers.
    @Test func anUncappedBudgetReachesAnthropicWithin32000() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let reply = try await proxy.post(
                "/v1beta/models/claude:generateContent",
                json: [
                    "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                    "generationConfig": ["thinkingConfig": ["thinkingBudget": 30_000]],
                ])
            #expect(reply.status == 200)
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["max_tokens"] == 32_000)
            #expect(sent["thinking"] == ["type": "enabled", "budget_tokens": 27_904], "\(sent)")
        }
    }
}
