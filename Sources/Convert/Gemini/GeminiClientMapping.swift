import Wire

/// What a Gemini client's request decoding, response encoding and stream
/// encoding share: finish reasons, usage, signatures, field names.
enum GeminiClientMapping {
    /// A signature that did not come from Gemini (an Anthropic or OpenAI one)
    /// goes to a Gemini client with this prefix, so that when the client sends
    /// it back it returns to the pivot unchanged rather than being taken for
    /// a Gemini signature (which carry `gemini:` in the pivot).
    static let pivotPrefix = "pivot:"

    /// A pivot thinking signature -> the `thoughtSignature` a Gemini client
    /// gets; nil when there is none.
    static func thoughtSignature(fromThinking signature: String) -> String? {
        guard !signature.isEmpty else { return nil }
        return GeminiThoughtSignature.signature(fromThinking: signature) ?? pivotPrefix + signature
    }

    /// The inverse of ``thoughtSignature(fromThinking:)``: a client's
    /// `thoughtSignature` -> a pivot thinking signature.
    static func thinkingSignature(fromThought signature: String) -> String {
        if signature.hasPrefix(pivotPrefix) { return String(signature.dropFirst(pivotPrefix.count)) }
        return GeminiThoughtSignature.thinkingSignature(signature)
    }

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
    static func usageMetadata(_ usage: JSONObject) -> JSONObject {
        let input = usage["input_tokens"]?.intValue ?? 0
        let cacheRead = usage["cache_read_input_tokens"]?.intValue ?? 0
        let cacheCreation = usage["cache_creation_input_tokens"]?.intValue ?? 0
        let output = usage["output_tokens"]?.intValue ?? 0
        let prompt = input + cacheRead + cacheCreation
        var metadata: JSONObject = [
            "promptTokenCount": .int(Int64(prompt)),
            "candidatesTokenCount": .int(Int64(output)),
            "totalTokenCount": .int(Int64(prompt + output)),
        ]
        if cacheRead > 0 { metadata["cachedContentTokenCount"] = .int(Int64(cacheRead)) }
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

    /// `snake_case` -> `lowerCamelCase`.
    static func camelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else {
                result += upperNext ? character.uppercased() : String(character)
                upperNext = false
            }
        }
        return result
    }
}

extension JSONValue {
    /// A Gemini field by its camelCase name, also found under its snake_case
    /// spelling (`system_instruction`, `inline_data`, as Google's own curl
    /// examples write them).
    subscript(gemini name: String) -> JSONValue? {
        self[name] ?? self[GeminiClientMapping.snakeCase(name)]
    }
}
