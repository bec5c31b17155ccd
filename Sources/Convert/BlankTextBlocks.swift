import Wire

/// A whole answer's text blocks as a converted stream makes them
/// (``AnthropicStreamEmitter``): a text part of whitespace alone is no
/// block of its own, which Anthropic refuses when the client sends it back;
/// it goes with the text block right after it, or, when another kind of
/// block or the end comes first, is dropped.
enum BlankTextBlocks {
    /// `content` with each blank text block joined to the next text block,
    /// or dropped; `content` itself when it has none, the usual case.
    static func folded(_ content: [JSONValue]) -> [JSONValue] {
        guard content.contains(where: isBlankText) else { return content }
        var folded: [JSONValue] = []
        folded.reserveCapacity(content.count)
        var held = ""
        for block in content {
            guard block["type"]?.stringValue == "text", let text = block["text"]?.stringValue else {
                held = ""
                folded.append(block)
                continue
            }
            let joined = held + text
            if joined.isBlankToAnthropic {
                held = joined
                continue
            }
            held = ""
            var kept = block
            kept["text"] = .string(joined)
            folded.append(kept)
        }
        return folded
    }

    /// Whether `block` is a text block Anthropic refuses: empty or blank.
    static func isBlankText(_ block: JSONValue) -> Bool {
        guard block["type"]?.stringValue == "text", let text = block["text"]?.stringValue else { return false }
        return text.isBlankToAnthropic
    }
}
