import Wire

/// Each client dialect's codec, by dialect: its request into the pivot (an
/// Anthropic Messages request), the pivot's answer into its response body,
/// and the encoder that writes pivot stream events as its frames.
///
/// Adding a client dialect means adding its folder and a case here.
public enum ClientCodec {
    /// The client's request as an Anthropic Messages request. `model` and
    /// `stream` are the ones ``ClientRequest`` read (Gemini's are in the path).
    public static func pivotRequest(
        _ body: JSONValue, dialect: Dialect, model: String, stream: Bool
    ) throws(APIError) -> ConvertedRequest {
        switch dialect {
        case .anthropic: return ConvertedRequest(body: body, diagnostics: [])
        case .openai: return try OpenAIChatClientCodec.decodeRequest(body)
        case .openaiResponses: return try OpenAIResponsesClientCodec.decodeRequest(body)
        case .gemini: return try GeminiClientCodec.decodeRequest(body, model: model, stream: stream)
        }
    }

    /// An Anthropic Messages response body as the client's response body
    /// (`clientBody` the client's request, for the form it asked the answer in);
    /// `createdAt` (Unix seconds) is OpenAI's `created` and `created_at`;
    /// `reasoningTokens` (``ConvertedResponse/reasoningTokens``) goes into
    /// the dialect's own field, and nowhere for Anthropic, which has none.
    static func response(
        _ message: JSONValue, dialect: Dialect, requestedModel: String, clientBody: JSONValue, createdAt: Int64,
        reasoningTokens: Int?
    ) -> JSONValue {
        switch dialect {
        case .anthropic: message
        case .openai:
            OpenAIChatClientCodec.encodeResponse(
                message, requestedModel: requestedModel, created: createdAt, reasoningTokens: reasoningTokens,
                functionCallForm: clientBody.objectValue.map(OpenAIChatClientCodec.answersWithFunctionCall) == true)
        case .openaiResponses:
            OpenAIResponsesClientCodec.encodeResponse(
                message, requestedModel: requestedModel, createdAt: createdAt, reasoningTokens: reasoningTokens)
        case .gemini:
            GeminiClientCodec.encodeResponse(message, requestedModel: requestedModel, reasoningTokens: reasoningTokens)
        }
    }

    /// The client's stream encoder; nil for Anthropic, whose events are
    /// written as they are.
    static func streamEncoder(
        dialect: Dialect, requestedModel: String, clientBody: JSONValue, createdAt: Int64
    ) -> (any ClientStreamEncoder)? {
        switch dialect {
        case .openai:
            OpenAIChatStreamEncoder(
                requestedModel: requestedModel,
                includeUsage: clientBody["stream_options"]?["include_usage"]?.boolValue == true, created: createdAt,
                functionCallForm: clientBody.objectValue.map(OpenAIChatClientCodec.answersWithFunctionCall) == true)
        case .openaiResponses: OpenAIResponsesStreamEncoder(requestedModel: requestedModel, createdAt: createdAt)
        case .gemini: GeminiStreamEncoder(requestedModel: requestedModel)
        case .anthropic: nil
        }
    }

    /// What a client's token count answers: Gemini's `countTokens`, OpenAI
    /// Responses' `input_tokens` (typed by its `object`, which the openai
    /// SDK's `InputTokenCountResponse` requires), Anthropic's `count_tokens`.
    public static func countTokensResponse(inputTokens: Int, dialect: Dialect) -> JSONValue {
        switch dialect {
        case .gemini: GeminiClientCodec.countTokensResponse(totalTokens: inputTokens)
        case .openaiResponses: ["object": "response.input_tokens", "input_tokens": .int(Int64(inputTokens))]
        case .anthropic, .openai: ["input_tokens": .int(Int64(inputTokens))]
        }
    }
}
