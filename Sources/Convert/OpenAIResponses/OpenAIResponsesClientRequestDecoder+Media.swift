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
        return ["type": "image", "source": Self.source(url: url, defaultMediaType: "image/png")]
    }

    /// `file_data` (a data URL, or bare base64 taken as PDF) or `file_url`
    /// as a document; the file name becomes its title.
    mutating func file(_ part: JSONValue, path: String) -> JSONValue? {
        let source: JSONValue
        if let data = part["file_data"]?.stringValue {
            source =
                data.hasPrefix("data:")
                ? Self.source(url: data, defaultMediaType: "application/pdf")
                : ["type": "base64", "media_type": "application/pdf", "data": .string(data)]
        } else if let url = part["file_url"]?.stringValue {
            source = ["type": "url", "url": .string(url)]
        } else {
            reportFileID(part, path: path)
            return nil
        }
        var document: JSONObject = ["type": "document", "source": source]
        if let filename = part["filename"]?.stringValue { document["title"] = .string(filename) }
        return .object(document)
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
