import Wire

/// A local input-token estimate for `count_tokens` when the upstream cannot
/// count (anything but an Anthropic-format upstream).
///
/// The estimate: one token per 4 characters (Unicode scalars) of every text
/// the model reads, which is what English prose and code average across
/// common tokenizers, plus fixed costs:
/// - text: the system prompt, text blocks, thinking text, tool_use inputs and
///   tool results (as their JSON text), each tool definition (its JSON text);
/// - 4 tokens per message, for role and turn markers;
/// - 1 600 tokens per image or document that is not plain text (Anthropic's
///   figure for an image at the size limit).
/// It is an estimate, within ~20% for typical Claude Code requests, and
/// deterministic.
public enum TokenEstimator {
    static let charactersPerToken = 4
    static let tokensPerMessage = 4
    static let tokensPerImage = 1_600

    /// Tokens in `characters` Unicode scalars of text, by the same rate.
    static func estimateTokens(characters: Int) -> Int {
        (characters + charactersPerToken - 1) / charactersPerToken
    }

    public static func estimateInputTokens(anthropicRequest: JSONValue) -> Int {
        var tally = Tally()
        if let system = anthropicRequest["system"] { tally.add(content: system) }
        for message in anthropicRequest["messages"]?.arrayValue ?? [] {
            tally.fixed += tokensPerMessage
            if let content = message["content"] { tally.add(content: content) }
        }
        for tool in anthropicRequest["tools"]?.arrayValue ?? [] {
            tally.characters += tool.serializedString().unicodeScalars.count
        }
        return tally.fixed + (tally.characters + charactersPerToken - 1) / charactersPerToken
    }

    private struct Tally {
        var characters = 0
        var fixed = 0

        mutating func add(content: JSONValue) {
            if let text = content.stringValue {
                characters += text.unicodeScalars.count
                return
            }
            for block in content.arrayValue ?? [] {
                switch block["type"]?.stringValue {
                case "text": characters += block["text"]?.stringValue?.unicodeScalars.count ?? 0
                case "thinking": characters += block["thinking"]?.stringValue?.unicodeScalars.count ?? 0
                case "tool_use": characters += (block["input"] ?? [:]).serializedString().unicodeScalars.count
                case "tool_result": if let inner = block["content"] { add(content: inner) }
                case "image": fixed += tokensPerImage
                case "document":
                    if let text = block["source"]?["data"]?.stringValue, block["source"]?["type"]?.stringValue == "text"
                    {
                        characters += text.unicodeScalars.count
                    } else {
                        fixed += tokensPerImage
                    }
                default: characters += block.serializedString().unicodeScalars.count
                }
            }
        }
    }
}
