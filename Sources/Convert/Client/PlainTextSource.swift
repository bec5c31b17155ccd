import Wire

/// A base64 source of text (`text/plain`, `text/markdown`...) as the
/// plain-text source Anthropic takes: its documents are base64 only for
/// PDF. For OpenAI's file parts and Gemini's inline data alike.
enum PlainTextSource {
    /// The text `source` encodes as a `{"type":"text"}` source; nil for any
    /// other source, or bytes that are not UTF-8.
    static func from(_ source: JSONValue) -> JSONValue? {
        guard source["type"] == "base64", source["media_type"]?.stringValue?.hasPrefix("text/") == true,
            let encoded = source["data"]?.stringValue, let bytes = Base64.decode(encoded),
            let text = String(validating: bytes, as: UTF8.self)
        else { return nil }
        return ["type": "text", "media_type": "text/plain", "data": .string(text)]
    }
}
