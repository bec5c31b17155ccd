import Convert
import SSE

/// The checker for a client dialect's stream: one entry for code that
/// handles every dialect (the dialect-pair tests, the stream fuzzer).
public enum ClientStreamChecker {
    /// The rules `events` break as a `dialect` client reads them; empty when
    /// the stream is valid. `expectUsage`: an OpenAI Chat client asked for
    /// usage (`stream_options.include_usage`); other dialects ignore it.
    public static func violations(in events: [SSEEvent], dialect: Dialect, expectUsage: Bool) -> [String] {
        switch dialect {
        case .anthropic: AnthropicStreamChecker.violations(in: events).map(\.description)
        case .openai: OpenAIChatStreamChecker.violations(in: events, expectUsage: expectUsage)
        case .openaiResponses: OpenAIResponsesStreamChecker.violations(in: events)
        case .gemini: GeminiStreamChecker.violations(in: events)
        }
    }
}
