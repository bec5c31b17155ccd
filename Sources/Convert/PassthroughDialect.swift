/// A dialect whose streams ``UpstreamStreamConverter`` passes through as
/// they came: every one but Anthropic's. An Anthropic upstream's stream
/// goes through ``AnthropicStreamRelay`` even for an Anthropic client,
/// which gets its own model name in `message_start`; a pass-through of it
/// would have to know its terminator, its error event and its usage
/// spread over two events, for a route nothing sends that way.
enum PassthroughDialect: Sendable, Equatable {
    case openai
    case openaiResponses
    case gemini

    /// Nil for Anthropic.
    init?(_ dialect: Dialect) {
        switch dialect {
        case .openai: self = .openai
        case .openaiResponses: self = .openaiResponses
        case .gemini: self = .gemini
        case .anthropic: return nil
        }
    }

    var dialect: Dialect {
        switch self {
        case .openai: .openai
        case .openaiResponses: .openaiResponses
        case .gemini: .gemini
        }
    }
}
