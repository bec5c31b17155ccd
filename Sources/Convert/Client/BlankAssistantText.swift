import Wire

/// Text of only whitespace in assistant turns, which an Anthropic upstream
/// refuses: any text block of any message that is empty or whitespace alone
/// makes the whole request a 400 ("text content blocks must contain
/// non-whitespace text"), not only the last turn's.
///
/// Other providers write such text: a Chat stream's `"\n\n"` before a tool
/// call reached Claude Code as a text block of its own, and after a `/model`
/// switch or a fallback to a Claude route every request of the session was
/// refused. Such blocks are dropped from assistant turns bound for an
/// Anthropic upstream, and an assistant message left with nothing is dropped
/// whole (Anthropic joins the user turns around it). User turns are the
/// client's own words, sent as they are.
enum BlankAssistantText {
    /// Takes blank text out of `request`'s assistant turns; the request is
    /// untouched when it has none, the usual case: found by reading each
    /// assistant text's first characters, with nothing copied.
    static func drop(from request: inout ConvertedRequest) {
        guard case .object(var body) = request.body, case .array(let messages)? = body["messages"],
            messages.contains(where: hasBlankText)
        else { return }
        var kept: [JSONValue] = []
        kept.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            guard hasBlankText(message) else {
                kept.append(message)
                continue
            }
            let blocks = (message["content"]?.arrayValue ?? []).filter { !BlankTextBlocks.isBlankText($0) }
            if blocks.isEmpty {
                request.diagnostics.append(
                    .info(
                        "/messages/\(index)",
                        "assistant turn of only whitespace text (or none) left out: Anthropic refuses blank text"))
                continue
            }
            var edited = message
            edited["content"] = .array(blocks)
            kept.append(edited)
            request.diagnostics.append(
                .info(
                    "/messages/\(index)", "text blocks of only whitespace dropped: Anthropic refuses blank text"))
        }
        body["messages"] = .array(kept)
        request.body = .object(body)
    }

    /// An assistant message whose content is blank text, holds a blank text
    /// block, or holds no block at all.
    private static func hasBlankText(_ message: JSONValue) -> Bool {
        // Compared as a string: `== "assistant"` would make a JSONValue of
        // the literal for every message of every request.
        guard message["role"]?.stringValue == "assistant" else { return false }
        switch message["content"] {
        case .string(let text)?: return text.isBlankToAnthropic
        // No blocks at all (a Chat answer that was only whitespace becomes
        // that): Anthropic refuses an empty assistant turn but the last.
        case .array(let blocks)?: return blocks.isEmpty || blocks.contains(where: BlankTextBlocks.isBlankText)
        default: return false
        }
    }

}
