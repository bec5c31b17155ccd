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
        case .openaiResponses, .gemini: throw notYet(dialect)
        }
    }

    /// An Anthropic Messages response body as the client's response body.
    static func response(_ message: JSONValue, dialect: Dialect, requestedModel: String) -> JSONValue {
        switch dialect {
        case .openai: OpenAIChatClientCodec.encodeResponse(message, requestedModel: requestedModel)
        case .anthropic, .openaiResponses, .gemini: message
        }
    }

    /// The client's stream encoder; nil for Anthropic, whose events are
    /// written as they are.
    static func streamEncoder(
        dialect: Dialect, requestedModel: String, clientBody: JSONValue
    ) -> (any ClientStreamEncoder)? {
        switch dialect {
        case .openai:
            OpenAIChatStreamEncoder(
                requestedModel: requestedModel,
                includeUsage: clientBody["stream_options"]?["include_usage"]?.boolValue == true)
        case .anthropic, .openaiResponses, .gemini: nil
        }
    }

    /// What a Gemini client's `countTokens` answers.
    public static func countTokensResponse(inputTokens: Int, dialect: Dialect) -> JSONValue {
        switch dialect {
        case .gemini: ["totalTokens": .int(Int64(inputTokens))]
        case .anthropic, .openai, .openaiResponses: ["input_tokens": .int(Int64(inputTokens))]
        }
    }

    private static func notYet(_ dialect: Dialect) -> APIError {
        APIError(status: 501, type: "api_error", message: "\(dialect.rawValue) clients are not supported yet")
    }
}
