import Wire

/// Text of only whitespace, which an Anthropic upstream refuses: any text
/// block of any message, user or assistant, that is empty or whitespace
/// alone makes the whole request a 400 ("text content blocks must contain
/// non-whitespace text"), not only the last turn's.
///
/// Other providers write such text: a Chat stream's `"\n\n"` before a tool
/// call reached Claude Code as a text block of its own, and after a `/model`
/// switch or a fallback to a Claude route every request of the session was
/// refused. Such blocks are dropped from assistant turns bound for an
/// Anthropic upstream, and an assistant message left with nothing is dropped
/// whole (Anthropic joins the user turns around it).
///
/// User turns are the client's own words. An Anthropic client's go as sent:
/// its own API refuses blank text, so the mistake is the client's to see.
/// Other clients' APIs take it (a Chat user message `"\n"`, a Gemini part
/// `"  "`), so for them blank text leaves user turns too; a user turn left
/// with nothing becomes the text ``placeholder``, with a warning. Dropping
/// the turn instead would leave the assistant turn before it last, which
/// Anthropic reads as a prefill to go on with, not a turn to answer; or put
/// two assistant turns together, or an assistant turn first.
enum BlankTurnText {
    /// The text of a user turn that had only blank text: the least a turn
    /// can say, and not whitespace.
    static let placeholder = "."

    /// Takes blank text out of `request`'s assistant turns, and its user
    /// turns too when `userTurns` (a converted client's request); the
    /// request is untouched when it has none, the usual case: found by
    /// reading each text's first characters, with nothing copied.
    static func drop(from request: inout ConvertedRequest, userTurns: Bool) {
        let roles: Set<String> = userTurns ? ["assistant", "user"] : ["assistant"]
        guard case .object(var body) = request.body, case .array(let messages)? = body["messages"],
            messages.contains(where: { hasBlankText($0, roles: roles) })
        else { return }
        var kept: [JSONValue] = []
        kept.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            guard hasBlankText(message, roles: roles) else {
                kept.append(message)
                continue
            }
            let blocks = (message["content"]?.arrayValue ?? []).filter { !BlankTextBlocks.isBlankText($0) }
            var edited = message
            if !blocks.isEmpty {
                edited["content"] = .array(blocks)
                request.diagnostics.append(
                    .info(
                        "/messages/\(index)", "text blocks of only whitespace dropped: Anthropic refuses blank text"))
            } else if message["role"]?.stringValue == "user" {
                edited["content"] = [["type": "text", "text": .string(placeholder)]]
                request.diagnostics.append(
                    .warning(
                        "/messages/\(index)",
                        "user turn of only whitespace text (or none) sent as \"\(placeholder)\": Anthropic refuses "
                            + "blank text, and leaving the turn out would change the conversation"))
            } else {
                request.diagnostics.append(
                    .info(
                        "/messages/\(index)",
                        "assistant turn of only whitespace text (or none) left out: Anthropic refuses blank text"))
                continue
            }
            kept.append(edited)
        }
        body["messages"] = .array(kept)
        request.body = .object(body)
    }

    /// A message of one of `roles` whose content is blank text, holds a
    /// blank text block, or holds no block at all.
    private static func hasBlankText(_ message: JSONValue, roles: Set<String>) -> Bool {
        // Read as a string: `== "assistant"` would make a JSONValue of the
        // literal for every message of every request.
        guard let role = message["role"]?.stringValue, roles.contains(role) else { return false }
        switch message["content"] {
        case .string(let text)?: return text.isBlankToAnthropic
        // No blocks at all (a Chat answer that was only whitespace becomes
        // that): Anthropic refuses an empty turn but the last assistant one.
        case .array(let blocks)?: return blocks.isEmpty || blocks.contains(where: BlankTextBlocks.isBlankText)
        default: return false
        }
    }
}
