import Convert

/// The `format:` values of `models.yaml`: one per upstream dialect, spelled
/// as ``Dialect``'s raw values, and what to suggest for the names people
/// write instead.
enum FormatName {
    /// Every format, in the order the docs list them.
    static let all: [Dialect] = [.openai, .openaiResponses, .gemini, .anthropic]

    /// What each format is, for error messages.
    static func meaning(_ dialect: Dialect) -> String {
        switch dialect {
        case .openai: "OpenAI Chat Completions and compatible APIs"
        case .openaiResponses: "the OpenAI Responses API"
        case .gemini: "Gemini generateContent"
        case .anthropic: "Anthropic Messages"
        }
    }

    /// The format `text` names, ignoring case.
    static func dialect(_ text: String) -> Dialect? {
        Dialect(rawValue: text.lowercased())
    }

    /// `openai` (OpenAI Chat Completions ...), `openai-responses` (...), ...
    static var reference: String {
        all.map { "`\($0.rawValue)` (\(meaning($0)))" }.joined(separator: ", ")
    }

    /// The format someone most likely meant by `text`, for "did you mean":
    /// other spellings of a format, and names of APIs or providers.
    static func suggestion(for text: String) -> Dialect? {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "openaichat", "chat", "chatcompletions", "openaicompatible", "deepseek", "ollama", "vllm", "groq",
            "mistral", "openrouter", "azure":
            return .openai
        case "openairesponses", "responses", "responsesapi": return .openaiResponses
        case "google", "googleai", "gemeni", "geminiapi", "vertex", "vertexai", "generativelanguage": return .gemini
        case "claude", "messages", "anthropicmessages": return .anthropic
        default: return nil
        }
    }
}
