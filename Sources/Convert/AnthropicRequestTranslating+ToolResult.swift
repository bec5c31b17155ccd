import Wire

extension AnthropicRequestTranslating {
    /// A `tool_result`'s content read once for every dialect: its text parts
    /// joined by newlines and its media parts converted by `mediaPart`.
    ///
    /// - Parameters:
    ///   - markingErrors: prefix the text with "Error" when `is_error` is set,
    ///     for upstreams whose tool output has no error flag of its own.
    ///   - mediaTypes: part types handed to `mediaPart`; any other non-text
    ///     part is reported as unsupported (``reportUnsupportedBlock(_:path:)``).
    ///   - mediaPart: the dialect's conversion of one part (given its JSON
    ///     pointer), or nil when it cannot be sent.
    mutating func toolResultContent<Media>(
        _ block: JSONValue, path: String, markingErrors: Bool, mediaTypes: Set<String>,
        mediaPart: (inout Self, JSONValue, String) -> Media?
    ) throws(APIError) -> (text: String, media: [Media]) {
        var texts: [String] = []
        var media: [Media] = []
        let content = block["content"] ?? ""
        if let text = content.stringValue {
            texts.append(text)
        } else {
            for (index, part) in (content.arrayValue ?? []).enumerated() {
                let partPath = "\(path)/content/\(index)"
                reportDroppedBlockFields(part, path: partPath)
                let type = part["type"]?.stringValue
                if type == "text" {
                    texts.append(part["text"]?.stringValue ?? "")
                } else if let type, mediaTypes.contains(type) {
                    if let converted = mediaPart(&self, part, partPath) { media.append(converted) }
                } else {
                    try reportUnsupportedBlock(part, path: partPath)
                }
            }
        }
        var text = texts.joined(separator: "\n")
        if markingErrors && block["is_error"]?.boolValue == true {
            text = text.isEmpty ? "Error" : "Error: " + text
        }
        return (text, media)
    }

    /// The user text standing in for a `tool_result` whose call the upstream
    /// would not recognise (it rejects an output without its call), with a
    /// warning saying so; `unanswered` says what it answers none of.
    mutating func unmatchedToolResultText(id: String, text: String, path: String, unanswered: String) -> String {
        diagnostics.append(.warning(path, "tool_result for \(id) answers \(unanswered); sent as text"))
        return "Result of tool call \(id):\n\(text)"
    }
}
