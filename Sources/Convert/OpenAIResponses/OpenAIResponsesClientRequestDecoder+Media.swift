import Wire

/// `input_image` and `input_file` parts -> Anthropic `image` and `document` blocks.
extension OpenAIResponsesClientRequestDecoder {
    /// A `data:` URL as a base64 source; any other URL as a url source.
    mutating func image(_ part: JSONValue, path: String) -> JSONValue? {
        if let detail = part["detail"]?.stringValue, detail != "auto" {
            diagnostics.append(.debug("\(path)/detail", "Anthropic has no image detail setting; dropped"))
        }
        guard let url = part["image_url"]?.stringValue ?? part["image_url"]?["url"]?.stringValue else {
            reportFileID(part, path: path)
            return nil
        }
        return ["type": "image", "source": OpenAIFilePart.source(url: url, defaultMediaType: "image/png")]
    }

    /// `file_data` or `file_url` as a document (see
    /// ``OpenAIFilePart/document(_:)``).
    mutating func file(_ part: JSONValue, path: String) -> JSONValue? {
        guard let document = OpenAIFilePart.document(part) else {
            reportFileID(part, path: path)
            return nil
        }
        return document
    }

    /// A part that names an OpenAI file id (or nothing usable): the file is
    /// in OpenAI's storage, which no other upstream can read.
    private mutating func reportFileID(_ part: JSONValue, path: String) {
        let reason =
            part["file_id"] != nil
            ? "file_id refers to OpenAI file storage, which the proxy cannot read; dropped"
            : "no image_url, file_data or file_url; dropped"
        diagnostics.append(.warning(path, reason))
    }
}
