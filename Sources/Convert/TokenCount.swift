import Wire

/// Arithmetic on the token counts an upstream reports, held at `Int`'s
/// limits: the numbers are the upstream's, and an absurd one (near `Int`'s
/// limits) must give an absurd count, not trap and end the process.
public enum TokenCount {
    /// `total - cached`, at least 0: the input tokens not read from a cache.
    public static func uncached(_ total: Int, cached: Int) -> Int {
        let (difference, overflow) = total.subtractingReportingOverflow(cached)
        if overflow { return cached < 0 ? .max : 0 }
        return max(difference, 0)
    }

    /// `first + second`.
    public static func sum(_ first: Int, _ second: Int) -> Int {
        let (total, overflow) = first.addingReportingOverflow(second)
        if overflow { return second < 0 ? .min : .max }
        return total
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
    }
}

extension TokenCount.Inclusive {
    init(_ usage: JSONObject) {
        cached = usage["cache_read_input_tokens"]?.intValue ?? 0
        input = TokenCount.sum(
            TokenCount.sum(usage["input_tokens"]?.intValue ?? 0, cached),
            usage["cache_creation_input_tokens"]?.intValue ?? 0)
        output = usage["output_tokens"]?.intValue ?? 0
        total = TokenCount.sum(input, output)
    }
}
