import Wire

/// Thinking a client asked not to be shown: an Anthropic client's
/// `thinking.display: "omitted"`, a Gemini client's
/// `thinkingConfig.includeThoughts: false`.
///
/// Its own provider honours the setting; a converted route's upstream may
/// not (an OpenAI-compatible one returns `reasoning_content` whatever was
/// asked), so the answer is made to keep it on its way to the client, in
/// the pivot: thinking blocks stay, with their signatures (the client sends
/// them back), but with no text, as Anthropic answers `omitted`.
enum HiddenThinking {
    /// Whether the client's request asks for thinking to be hidden.
    static func isAsked(by body: JSONValue, dialect: Dialect) -> Bool {
        switch dialect {
        case .anthropic:
            body["thinking"]?["display"]?.stringValue == "omitted"
        case .gemini:
            body[gemini: "generationConfig"]?[gemini: "thinkingConfig"]?[gemini: "includeThoughts"]?.boolValue == false
        case .openai, .openaiResponses:
            false
        }
    }

    /// The stream event as the client gets it: a thinking block opens with
    /// no text, and its text deltas are left out (nil); a signature, and
    /// every other event, goes as it is.
    static func shown(_ event: AnthropicStreamEvent) -> AnthropicStreamEvent? {
        switch event {
        case .contentBlockStart(let index, .thinking(let thinking, let signature)) where !thinking.isEmpty:
            .contentBlockStart(index: index, block: .thinking(thinking: "", signature: signature))
        case .contentBlockDelta(_, .thinking):
            nil
        default:
            event
        }
    }

    /// A whole message's thinking blocks, their text taken out.
    static func hide(in message: inout JSONObject) {
        guard case .array(var content)? = message["content"] else { return }
        for index in content.indices where content[index]["type"]?.stringValue == "thinking" {
            content[index]["thinking"] = ""
        }
        message["content"] = .array(content)
    }
}
