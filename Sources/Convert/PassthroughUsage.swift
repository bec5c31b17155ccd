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
}
