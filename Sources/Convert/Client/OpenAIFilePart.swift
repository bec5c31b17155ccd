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
        var document: JSONObject = ["type": "document", "source": textSource(source) ?? source]
        if let filename = file["filename"]?.stringValue { document["title"] = .string(filename) }
        return .object(document)
    }

    /// A base64 source of text (`text/plain`, `text/markdown`...) as the
    /// plain-text source Anthropic takes: its documents are base64 only for
    /// PDF. Nil for any other source, or bytes that are not UTF-8.
    static func textSource(_ source: JSONValue) -> JSONValue? {
        guard source["type"] == "base64", source["media_type"]?.stringValue?.hasPrefix("text/") == true,
            let encoded = source["data"]?.stringValue, let bytes = Base64.decode(encoded),
            let text = String(validating: bytes, as: UTF8.self)
        else { return nil }
        return ["type": "text", "media_type": "text/plain", "data": .string(text)]
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
