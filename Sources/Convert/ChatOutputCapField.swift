/// The field an OpenAI Chat Completions upstream reads the output cap from
/// (`max_tokens_field` in the config).
///
/// `max_tokens` is deprecated at OpenAI and refused by its reasoning models
/// (o1, o3, gpt-5: "Unsupported parameter: 'max_tokens' ... Use
/// 'max_completion_tokens' instead"), while many compatible servers know only
/// `max_tokens`; so the proxy cannot send one name everywhere. Routes to
/// api.openai.com default to `max_completion_tokens`, which every current
/// OpenAI chat model takes (``RouteOptions/chatOutputCapField``).
public enum ChatOutputCapField: String, Sendable, Hashable, Codable, CaseIterable {
    /// `max_tokens`: what every OpenAI-compatible server (DeepSeek, Groq,
    /// Mistral, vLLM, Ollama...) takes.
    case maxTokens = "max_tokens"
    /// `max_completion_tokens`: the only name OpenAI's reasoning models take.
    case maxCompletionTokens = "max_completion_tokens"
}
