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
///
/// Reasoning with no signature (`reasoning_content`) is what DeepSeek and
/// Kimi need back in a tool loop, and the client now has no text to send:
/// so, as Anthropic's signature carries its omitted thinking, the block's
/// signature carries the text (``carrierPrefix`` and its base64), which
/// becomes `reasoning_content` again on the next request
/// (``text(fromSignature:)``). No other provider takes such a signature.
struct HiddenThinking: Sendable {
    static let carrierPrefix = "pivot-reasoning:"

    /// The text so far of the open thinking blocks that have no signature
    /// (yet), by block index.
    private var unsignedText: [Int: String] = [:]

    init() {}

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

    /// The unsigned reasoning a signature made by ``hide(in:)`` or
    /// ``shown(_:into:)`` carries; nil for any other signature.
    static func text(fromSignature signature: String) -> String? {
        guard signature.hasPrefix(carrierPrefix),
            let bytes = Base64.decode(signature.dropFirst(carrierPrefix.count))
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func carrier(of text: String) -> String {
        carrierPrefix + Base64.encode(Array(text.utf8))
    }

    /// The stream events the client gets for `event`: a thinking block
    /// opens with no text and its text deltas are left out; a signature,
    /// and every other event, goes as it is; a block that had text and no
    /// signature gets one carrying its text before it stops.
    mutating func shown(_ event: AnthropicStreamEvent, into events: inout [AnthropicStreamEvent]) {
        switch event {
        case .contentBlockStart(let index, .thinking(let thinking, let signature)):
            if signature.isEmpty { unsignedText[index] = thinking }
            events.append(.contentBlockStart(index: index, block: .thinking(thinking: "", signature: signature)))
        case .contentBlockDelta(let index, .thinking(let text)):
            unsignedText[index]? += text
        case .contentBlockDelta(let index, .signature):
            unsignedText[index] = nil
            events.append(event)
        case .contentBlockStop(let index):
            if let text = unsignedText.removeValue(forKey: index), !text.isEmpty {
                events.append(.contentBlockDelta(index: index, delta: .signature(Self.carrier(of: text))))
            }
            events.append(event)
        default:
            events.append(event)
        }
    }

    /// A whole message's thinking blocks, their text taken out (and kept
    /// in the signature of those that had none).
    static func hide(in message: inout JSONObject) {
        guard case .array(var content)? = message["content"] else { return }
        for index in content.indices where content[index]["type"]?.stringValue == "thinking" {
            let text = content[index]["thinking"]?.stringValue ?? ""
            if !text.isEmpty, content[index]["signature"]?.stringValue?.isEmpty ?? true {
                content[index]["signature"] = .string(carrier(of: text))
            }
            content[index]["thinking"] = ""
        }
        message["content"] = .array(content)
    }
}
