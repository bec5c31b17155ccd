import Testing
import Wire

@testable import Convert

/// Token counts are the upstream's numbers: at `Int`'s limits they are held
/// there, and the process keeps serving.
@Suite struct TokenCountTests {
    @Test func countsAtIntsLimitsAreHeldThere() {
        #expect(TokenCount.uncached(10, cached: 4) == 6)
        #expect(TokenCount.uncached(4, cached: 10) == 0)
        #expect(TokenCount.uncached(0, cached: .min) == .max)
        #expect(TokenCount.uncached(.min, cached: 1) == 0)
        #expect(Int.max.addingSaturated(1) == .max)
        #expect(Int.min.addingSaturated(-1) == .min)
        #expect(2.addingSaturated(3) == 5)
    }

    @Test func everyDialectsUsageMapsAbsurdCountsWithoutTrapping() {
        let chat = OpenAIChatResultMapping.anthropicUsage(
            ["prompt_tokens": 0, "completion_tokens": 1, "prompt_tokens_details": ["cached_tokens": .int(.min)]])
        #expect(chat?["input_tokens"] == .int(.max))
        let responses = OpenAIResponsesResultMapping.anthropicUsage(
            ["input_tokens": .int(.min), "output_tokens": 1, "input_tokens_details": ["cached_tokens": 1]])
        #expect(responses?["input_tokens"] == 0)
        let gemini = GeminiResultMapping.anthropicUsage(
            [
                "promptTokenCount": .int(.max), "toolUsePromptTokenCount": .int(.max),
                "candidatesTokenCount": .int(.max), "thoughtsTokenCount": 1,
            ])
        #expect(gemini?["input_tokens"] == .int(.max))
        #expect(gemini?["output_tokens"] == .int(.max))
    }

    @Test func anAnthropicUsageGoesToEveryClientWithoutTrapping() {
        let usage: JSONObject = [
            "input_tokens": .int(.max), "cache_read_input_tokens": 1, "cache_creation_input_tokens": 2,
            "output_tokens": 1,
        ]
        let counts = TokenCount.Inclusive(usage)
        #expect(counts == TokenCount.Inclusive(input: .max, cached: 1, output: 1, total: .max))
        #expect(
            TokenCount.Inclusive(["input_tokens": 5, "cache_read_input_tokens": 3, "output_tokens": 2])
                == TokenCount.Inclusive(input: 8, cached: 3, output: 2, total: 10))
        #expect(OpenAIChatClientCodec.usage(usage)["total_tokens"] == .int(.max))
        #expect(OpenAIResponsesClientItems.usage(usage)["total_tokens"] == .int(.max))
        #expect(GeminiClientMapping.usageMetadata(usage)["totalTokenCount"] == .int(.max))
    }
}
