import Wire

/// Converts an upstream's non-streaming success body into an Anthropic
/// Messages response body for the client.
public enum ResponseConverter {
    /// Upstream non-streaming success body -> Anthropic Messages response body.
    ///
    /// An Anthropic upstream's body is returned unchanged but for `model`,
    /// which is always the name the client asked for. A body that is not
    /// what the dialect answers (no `choices`, `candidates` or `output`, or a
    /// 200 carrying an `error`) throws a 502 `api_error` naming the route.
    public static func convert(
        upstreamBody: JSONValue, route: RouteOptions, requestedModel: String
    ) throws(APIError) -> JSONValue {
        try convertWithDiagnostics(upstreamBody: upstreamBody, route: route, requestedModel: requestedModel).body
    }

    /// ``convert(upstreamBody:route:requestedModel:)`` with what was repaired
    /// on the way, such as tool arguments that were not valid JSON.
    public static func convertWithDiagnostics(
        upstreamBody: JSONValue, route: RouteOptions, requestedModel: String
    ) throws(APIError) -> ConvertedResponse {
        switch route.upstreamDialect {
        case .anthropic:
            // A 200 whose body is an error (`{"type":"error",...}`) is the
            // upstream's error, as other upstreams' are: not a message with
            // no content, nor (for a stream made of a whole answer) one whose
            // start is the error. An Anthropic client's answer read as it
            // came (``ClientRequest/answerAsItCame``) is still relayed.
            try requireSuccessObject(upstreamBody, route: route, dialect: .anthropic) { _ in upstreamBody }
            guard case .object(var body) = upstreamBody else {
                throw unexpectedBody(route: route, reason: "not a JSON object")
            }
            if body["model"] != nil { body["model"] = .string(requestedModel) }
            return ConvertedResponse(body: .object(body), diagnostics: [])
        case .openai:
            return try OpenAIChatResponseConversion.convert(
                upstreamBody, route: route, requestedModel: requestedModel)
        case .gemini:
            return try GeminiResponseConversion.convert(upstreamBody, route: route, requestedModel: requestedModel)
        case .openaiResponses:
            return try OpenAIResponsesResponseConversion.convert(
                upstreamBody, route: route, requestedModel: requestedModel)
        }
    }

    static func unexpectedBody(route: RouteOptions, reason: String) -> APIError {
        APIError(
            status: 502, type: "api_error",
            message: "upstream \(route.modelID) (\(route.upstreamModel)) sent an unexpected response: \(reason)")
    }
}
