import Wire

/// Arithmetic on the token counts an upstream reports, held at `Int`'s
/// limits: the numbers are the upstream's, and an absurd one (near `Int`'s
/// limits) must give an absurd count, not trap and end the process.
enum TokenCount {
    /// `total - cached`, at least 0: the input tokens not read from a cache.
    static func uncached(_ total: Int, cached: Int) -> Int {
        max(total.subtractingSaturated(cached), 0)
    }
}

extension TokenCount {
    /// An Anthropic usage object's counts as OpenAI and Gemini give them:
    /// their input count includes the cache's reads and writes, which
    /// Anthropic counts apart; `total` is input and output.
    struct Inclusive: Equatable {
        var input: Int
        /// The cache reads within `input`.
        var cached: Int
        var output: Int
        var total: Int
        /// The reasoning tokens within `output`, when the upstream counted
        /// them apart (see ``AnthropicStreamEvent/MessageDelta/reasoningTokens``).
        var reasoning: Int? = nil

        /// `output` without the reasoning: Gemini's `candidatesTokenCount`,
        /// which leaves out its `thoughtsTokenCount`.
        var answer: Int { max(output.subtractingSaturated(reasoning ?? 0), 0) }
    }
}

extension TokenCount.Inclusive {
    init(_ usage: JSONObject, reasoning: Int? = nil) {
        cached = usage["cache_read_input_tokens"]?.intValue ?? 0
        input = (usage["input_tokens"]?.intValue ?? 0).addingSaturated(cached)
            .addingSaturated(usage["cache_creation_input_tokens"]?.intValue ?? 0)
        output = usage["output_tokens"]?.intValue ?? 0
        total = input.addingSaturated(output)
        self.reasoning = reasoning
    }
}

extension TokenCount {
    /// `message_start`'s usage updated by a `message_delta`'s: its counts
    /// replace the earlier ones (they are the final ones), but a `null`
    /// replaces nothing. Anthropic's deltas may give `"input_tokens": null`
    /// (claude-opus-4-6 does), which is "not said again", not zero.
    static func merge(_ update: JSONObject, into usage: inout JSONObject) {
        for member in update where !member.value.isNull { usage[member.key] = member.value }
    }
}
