import Wire

/// Text added to an Anthropic request's `system`, in whichever form it has
/// (a string, a list of text blocks, or none).
enum SystemPromptText {
    /// `system` with `text` before it (`first`) or after it: a string
    /// joined with a blank line, a list given a block of its own (its
    /// blocks and their `cache_control` untouched).
    static func adding(_ text: String, to system: JSONValue?, first: Bool) -> JSONValue {
        switch system {
        case .string(let given)?:
            return .string(first ? text + "\n\n" + given : given + "\n\n" + text)
        case .array(var blocks)?:
            blocks.insert(["type": "text", "text": .string(text)], at: first ? 0 : blocks.endIndex)
            return .array(blocks)
        default:
            return .string(text)
        }
    }
}
