import Wire

/// What a Gemini client's request decoding, response encoding and stream
/// encoding share: finish reasons, usage, signatures, field names.
enum GeminiClientMapping {
    /// A signature that did not come from Gemini (an Anthropic or OpenAI one)
    /// goes to a Gemini client behind this prefix, so that when the client
    /// sends it back it returns to the pivot unchanged rather than being
    /// taken for a Gemini signature (which carry `gemini:` in the pivot).
    static let pivotPrefix = "pivot:"

    /// A pivot thinking signature -> the `thoughtSignature` a Gemini client
    /// gets; nil when there is none. `thoughtSignature` is a protobuf `bytes`
    /// field: clients decode it as base64 (google-genai refuses the whole
    /// answer when it is not), so another provider's signature goes out as
    /// the base64 of the prefix and the signature.
    static func thoughtSignature(fromThinking signature: String) -> String? {
        guard !signature.isEmpty else { return nil }
        return GeminiThoughtSignature.signature(fromThinking: signature)
            ?? Base64.encode(Array((pivotPrefix + signature).utf8))
    }

    /// The inverse of ``thoughtSignature(fromThinking:)``: a client's
    /// `thoughtSignature` -> a pivot thinking signature. Clients that
    /// decoded it send it back re-encoded, in either base64 alphabet; a
    /// Gemini signature is given in the standard one, as Gemini wrote it.
    /// (The prefix in plain text is what this proxy wrote before.)
    static func thinkingSignature(fromThought signature: String) -> String {
        if signature.hasPrefix(pivotPrefix) { return String(signature.dropFirst(pivotPrefix.count)) }
        if let bytes = Base64.decode(signature), bytes.starts(with: pivotPrefix.utf8) {
            return String(decoding: bytes.dropFirst(pivotPrefix.utf8.count), as: UTF8.self)
        }
        return GeminiThoughtSignature.thinkingSignature(geminiSignature(fromClient: signature))
    }

    /// A Gemini signature a client sent back, in the standard base64
    /// alphabet Gemini writes it in (clients may re-encode it URL-safe), so
    /// it compares equal to the one carried in a `tool_use` id; as it came
    /// when it is not base64.
    static func geminiSignature(fromClient signature: String) -> String {
        let reencoded = signature.utf8.contains { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        guard reencoded || signature.utf8.count % 4 != 0, let bytes = Base64.decode(signature) else { return signature }
        return Base64.encode(bytes)
    }

    /// Gemini's finish when the model made a function call that could not
    /// be read.
    static let malformedCallFinishReason = "MALFORMED_FUNCTION_CALL"

    /// Anthropic `stop_reason` -> Gemini `finishReason`.
    static func finishReason(stopReason: String?) -> String {
        switch stopReason {
        case "max_tokens", "model_context_window_exceeded": "MAX_TOKENS"
        case "refusal": "SAFETY"
        default: "STOP"
        }
    }

    /// Anthropic usage -> `usageMetadata`. Gemini's prompt count includes
    /// cached tokens, Anthropic counts them apart, so they are added back.
    /// Anthropic's output includes the thinking; Gemini's
    /// `candidatesTokenCount` does not, so `reasoning` (when an upstream
    /// counted it) is taken out of it and given as `thoughtsTokenCount`.
    static func usageMetadata(_ usage: JSONObject, reasoning: Int? = nil) -> JSONObject {
        let counts = TokenCount.Inclusive(usage, reasoning: reasoning)
        var metadata: JSONObject = [
            "promptTokenCount": .int(Int64(counts.input)),
            "candidatesTokenCount": .int(Int64(counts.answer)),
            "totalTokenCount": .int(Int64(counts.total)),
        ]
        if counts.cached > 0 { metadata["cachedContentTokenCount"] = .int(Int64(counts.cached)) }
        if let thoughts = counts.reasoning { metadata["thoughtsTokenCount"] = .int(Int64(thoughts)) }
        return metadata
    }

    /// A `functionCall` part for a pivot `tool_use`. A Gemini signature
    /// carried in the id is also given as the part's `thoughtSignature`, as
    /// Gemini itself would return it.
    static func functionCallPart(id: String, name: String, args: JSONValue) -> JSONObject {
        var part: JSONObject = [
            "functionCall": [
                "name": .string(name), "args": args.objectValue.map(JSONValue.object) ?? [:], "id": .string(id),
            ]
        ]
        if let signature = GeminiThoughtSignature.signature(fromToolUseID: id) {
            part["thoughtSignature"] = .string(signature)
        }
        return part
    }

    /// `lowerCamelCase` -> `snake_case`: Gemini's JSON accepts both spellings
    /// of every field name.
    ///
    /// Field names are ASCII, so this works on bytes: it runs for every
    /// field a request leaves out, and Unicode case lookups per character
    /// were a fifth of a Gemini request's conversion.
    static func snakeCase(_ name: String) -> String {
        guard name.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return name }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 4)
        for byte in name.utf8 {
            if (0x41...0x5A).contains(byte) {
                bytes.append(UInt8(ascii: "_"))
                bytes.append(byte + 0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `snake_case` -> `lowerCamelCase`. Bytes, as in ``snakeCase(_:)``:
    /// it runs for every member of a request's top level and config.
    static func camelCase(_ name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: "_")) else { return name }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        var upperNext = false
        for byte in name.utf8 {
            if byte == UInt8(ascii: "_") {
                upperNext = true
            } else {
                bytes.append(upperNext && (0x61...0x7A).contains(byte) ? byte - 0x20 : byte)
                upperNext = false
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `key` is `camelName` spelled in snake_case, compared byte by
    /// byte without making the snake_case string.
    static func isSnakeSpelling(_ key: String, of camelName: String) -> Bool {
        var keyBytes = key.utf8.makeIterator()
        for byte in camelName.utf8 {
            if (0x41...0x5A).contains(byte) {
                guard keyBytes.next() == UInt8(ascii: "_"), keyBytes.next() == byte + 0x20 else { return false }
            } else if keyBytes.next() != byte {
                return false
            }
        }
        return keyBytes.next() == nil
    }
}

extension JSONValue {
    /// A Gemini field by its camelCase name, also found under its snake_case
    /// spelling (`system_instruction`, `inline_data`, as Google's own curl
    /// examples write them); the camelCase one wins when both are there.
    ///
    /// Members are read by index and only a match's value is copied: a loop
    /// over the members copied each one, key and value, and a small
    /// request's fifteen lookups cost ~3 K instructions more (of its 16 K
    /// decoding).
    subscript(gemini name: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        let members = object.members
        var snake: Int?
        for index in members.indices {
            if members[index].key == name { return members[index].value }
            if snake == nil, GeminiClientMapping.isSnakeSpelling(members[index].key, of: name) { snake = index }
        }
        return snake.map { members[$0].value }
    }
}
