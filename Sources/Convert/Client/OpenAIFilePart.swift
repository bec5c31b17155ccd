import Wire

/// OpenAI's file and image content as Anthropic sources and `document`
/// blocks, for both OpenAI client dialects: Chat's `file` part holds the
/// same fields (`filename`, `file_data`, `file_id`) as Responses'
/// `input_file`, and both take images as URLs or `data:` URLs.
enum OpenAIFilePart {
    /// `file_data` (a data URL, or bare base64 taken as PDF) or `file_url`
    /// as a document, the file name as its title; nil when the part has
    /// neither, as one naming a `file_id` (OpenAI's own storage) does.
    static func document(_ file: JSONValue) -> JSONValue? {
        let source: JSONValue
        if let data = file["file_data"]?.stringValue {
            source =
                data.hasPrefix("data:")
                ? self.source(url: data, defaultMediaType: "application/pdf")
                : ["type": "base64", "media_type": "application/pdf", "data": .string(data)]
        } else if let url = file["file_url"]?.stringValue {
            source = ["type": "url", "url": .string(url)]
        } else {
            return nil
        }
        var document: JSONObject = ["type": "document", "source": PlainTextSource.from(source) ?? source]
        if let filename = file["filename"]?.stringValue { document["title"] = .string(filename) }
        return .object(document)
    }

    /// `data:<media type>;base64,<data>` -> a base64 source; anything else is
    /// a URL the upstream fetches.
    static func source(url: String, defaultMediaType: String) -> JSONValue {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else {
            return ["type": "url", "url": .string(url)]
        }
        var header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64") else { return ["type": "url", "url": .string(url)] }
        header = header.dropLast(";base64".count)
        let mediaType = header.isEmpty ? defaultMediaType : String(header)
        return [
            "type": "base64", "media_type": .string(mediaType),
            "data": .string(String(url[url.index(after: comma)...])),
        ]
    }
}
