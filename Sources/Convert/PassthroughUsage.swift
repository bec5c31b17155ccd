import Wire

/// Token usage, in Anthropic's shape, read from what an upstream sent in
/// its own dialect, for answers the proxy passes through without decoding
/// (a client of the route's own format): the `end` line and the logs still
/// get the counts a converted answer would have.
enum PassthroughUsage {
    /// The usage a whole body or one stream frame's payload reports, if any:
    /// OpenAI's `usage`, Gemini's `usageMetadata`, a Responses body's
    /// `usage` or its stream event's `response.usage`, Anthropic's `usage`
    /// or `message.usage`.
    static func anthropicUsage(in payload: JSONValue, dialect: Dialect) -> JSONObject? {
        switch dialect {
        case .openai:
            guard let usage = payload["usage"], !usage.isNull else { return nil }
            return OpenAIChatResultMapping.anthropicUsage(usage)
        case .gemini:
            return GeminiResultMapping.anthropicUsage(payload["usageMetadata"])
        case .openaiResponses:
            return OpenAIResponsesResultMapping.anthropicUsage(payload["usage"] ?? payload["response"]?["usage"])
        case .anthropic:
            return (payload["usage"] ?? payload["message"]?["usage"])?.objectValue
        }
    }

    /// ``anthropicUsage(in:dialect:)`` of a whole OpenAI Chat or Responses
    /// answer, read from its bytes with no tree: `.some(nil)` when it
    /// reports none; nil when the answer must be read as a tree (not one
    /// JSON object, a repeated `usage`, an `error` that is not null: a 200
    /// that is the upstream's error, even with a usage; a Responses body
    /// with no top-level `usage`, another dialect). One pass over the
    /// top-level members.
    static func read(answer data: [UInt8], dialect: Dialect) -> JSONObject?? {
        guard dialect == .openai || dialect == .openaiResponses else { return nil }
        var reader = JSONReader(data)
        var found: JSONValue?
        var sawUsage = false
        do {
            var members = try reader.readObject()
            while let key = try members.next(&reader) {
                if key.matches("usage") {
                    guard !sawUsage else { return nil }
                    sawUsage = true
                    found = try reader.readValue()
                } else if key.matches("error") {
                    guard reader.nextKind == .null else { return nil }
                    try reader.skipValue()
                } else {
                    try reader.skipValue()
                }
            }
            try reader.finish()
        } catch {
            return nil
        }
        guard let usage = found else {
            // A Responses body with no usage of its own may hold its `response`'s, which the tree reads.
            return dialect == .openai ? .some(nil) : nil
        }
        return .some(anthropicUsage(in: ["usage": usage], dialect: dialect))
    }
}
