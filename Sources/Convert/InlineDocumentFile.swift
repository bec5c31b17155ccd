import Wire

/// An Anthropic `document` block with a base64 source, as the inline file
/// both OpenAI upstream dialects take: Chat's `file` part and Responses'
/// `input_file` carry the same `filename` and `file_data` (a `data:` URL).
struct InlineDocumentFile: Equatable {
    /// The name used when the block has no title of its own.
    static let defaultFilename = "document.pdf"

    /// The block's `title`, so the model sees the name the client gave it;
    /// else ``defaultFilename``.
    let filename: String
    /// `data:<media type>;base64,<data>`, the form OpenAI requires of
    /// `file_data`; the media type is PDF unless the source says otherwise
    /// (Anthropic's base64 documents are PDFs).
    let dataURL: String

    /// Nil unless the block's source is base64.
    init?(_ block: JSONValue) {
        let source = block["source"]
        guard source?["type"]?.stringValue == "base64" else { return nil }
        let mediaType = source?["media_type"]?.stringValue ?? "application/pdf"
        dataURL = "data:\(mediaType);base64,\(source?["data"]?.stringValue ?? "")"
        if let title = block["title"]?.stringValue, !title.isEmpty {
            filename = title
        } else {
            filename = Self.defaultFilename
        }
    }
}
