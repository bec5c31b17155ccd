/// The API shapes the proxy speaks, inbound and upstream.
public enum Dialect: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anthropic Messages: the pivot model.
    case anthropic
    /// OpenAI Chat Completions and the many providers compatible with it.
    case openai
    /// OpenAI Responses.
    case openaiResponses = "openai-responses"
    /// Gemini generateContent.
    case gemini
}
