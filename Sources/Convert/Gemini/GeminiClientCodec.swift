import Wire

/// The Gemini client dialect: what a Gemini `generateContent` client sends
/// and reads, to and from the Anthropic pivot. Pure functions, no I/O.
///
/// Thought signatures survive a round trip through the client: a pivot
/// thinking signature becomes the `thoughtSignature` of a thought part, a
/// Gemini signature carried in a `tool_use` id (see
/// ``GeminiThoughtSignature``) becomes the `functionCall` part's, and the
/// client sending them back restores the pivot's form.
public enum GeminiClientCodec {
    /// A Gemini `generateContent` request body -> an Anthropic Messages
    /// request. `model` and `stream` come from the URL
    /// (`models/{model}:streamGenerateContent`).
    ///
    /// - Throws: 400 when `contents` is missing or not an array, a turn's
    ///   role is not Gemini's, no turn has a part the pivot can hold,
    ///   `maxOutputTokens` is no integer, or more than one candidate is
    ///   asked for.
    public static func decodeRequest(
        _ body: JSONValue, model: String, stream: Bool
    ) throws(APIError)
        -> ConvertedRequest
    {
        var decoder = GeminiClientRequestDecoder(request: body, model: model, stream: stream)
        return try decoder.decode()
    }

    /// An Anthropic Messages response body -> a `GenerateContentResponse`
    /// with one candidate.
    public static func encodeResponse(
        _ message: JSONValue, requestedModel: String, reasoningTokens: Int? = nil
    ) -> JSONValue {
        var parts = GeminiClientParts()
        for block in message["content"]?.arrayValue ?? [] {
            parts.add(ContentBlock(json: block))
        }
        var candidate: JSONObject = [:]
        if let content = parts.content { candidate["content"] = .object(content) }
        candidate["finishReason"] = .string(
            GeminiClientMapping.finishReason(stopReason: message["stop_reason"]?.stringValue))
        candidate["index"] = 0
        return [
            "candidates": [.object(candidate)],
            "usageMetadata": .object(
                GeminiClientMapping.usageMetadata(message["usage"]?.objectValue ?? [:], reasoning: reasoningTokens)),
            "modelVersion": .string(requestedModel),
            "responseId": message["id"] ?? "",
        ]
    }

    /// The `countTokens` response.
    public static func countTokensResponse(totalTokens: Int) -> JSONValue {
        ["totalTokens": .int(Int64(totalTokens))]
    }
}
