import Wire

/// What a `content_block_delta` adds to the open block.
public enum BlockDelta: Sendable, Hashable {
    case text(String)
    case thinking(String)
    /// The signature of the open thinking block, sent just before it closes.
    case signature(String)
    /// A fragment of a tool call's input, JSON text that may be cut anywhere.
    case inputJSON(String)
    /// Citations and anything newer, kept whole.
    case unknown(JSONValue)

    public init(json: JSONValue) {
        switch (json["type"]?.stringValue, json) {
        case ("text_delta", let delta) where delta["text"]?.stringValue != nil:
            self = .text(delta["text"]!.stringValue!)
        case ("thinking_delta", let delta) where delta["thinking"]?.stringValue != nil:
            self = .thinking(delta["thinking"]!.stringValue!)
        case ("signature_delta", let delta) where delta["signature"]?.stringValue != nil:
            self = .signature(delta["signature"]!.stringValue!)
        case ("input_json_delta", let delta) where delta["partial_json"]?.stringValue != nil:
            self = .inputJSON(delta["partial_json"]!.stringValue!)
        default:
            self = .unknown(json)
        }
    }

    /// A known delta as Anthropic writes it, `{"type":TYPE,KEY:"VALUE"}`;
    /// nil for ``unknown(_:)``. The one table ``json`` and the frame writer
    /// (``AnthropicStreamEvent/appendFrame(to:)``) read.
    var textMember: (type: StaticString, key: StaticString, value: String)? {
        switch self {
        case .text(let text): ("text_delta", "text", text)
        case .thinking(let text): ("thinking_delta", "thinking", text)
        case .signature(let signature): ("signature_delta", "signature", signature)
        case .inputJSON(let fragment): ("input_json_delta", "partial_json", fragment)
        case .unknown: nil
        }
    }

    /// The delta as Anthropic writes it.
    public var json: JSONValue {
        if case .unknown(let json) = self { return json }
        let member = textMember!
        return ["type": .string(member.type.description), member.key.description: .string(member.value)]
    }
}
