import Wire

/// Converts a client's Anthropic Messages request into the body the route's
/// upstream expects.
public enum RequestConverter {
    /// Checks the fields every conversion relies on and throws a 400
    /// `invalid_request_error` naming the first bad field (`model`,
    /// `messages.2.content`, `max_tokens`...), so a malformed request never
    /// reaches an upstream and never trips the converter.
    public static func validate(anthropicRequest: JSONValue) throws(APIError) {
        try AnthropicRequestValidator.validate(anthropicRequest)
    }

    /// Anthropic request -> the route's upstream dialect.
    ///
    /// For an anthropic upstream the body is the client's own, key order kept:
    /// only `model` is replaced, `max_tokens` capped, the route's
    /// `temperature` set and its `extra_body` merged. For an OpenAI Chat
    /// Completions upstream the request is translated (see
    /// ``OpenAIChatRequestBuilder``). The request is validated first.
    public static func convert(anthropicRequest: JSONValue, route: RouteOptions) throws(APIError) -> ConvertedRequest {
        try validate(anthropicRequest: anthropicRequest)
        guard case .object(let request) = anthropicRequest else {
            throw .invalidRequest("the request body must be a JSON object")
        }
        switch route.upstreamDialect {
        case .anthropic:
            return anthropicPassthrough(request, route: route)
        case .openai:
            var builder = OpenAIChatRequestBuilder(request: request, route: route)
            return builder.build()
        case .openaiResponses, .gemini:
            throw APIError(
                status: 501, type: "api_error",
                message:
                    "route \(route.modelID): upstream format \(route.upstreamDialect.rawValue) is not supported yet")
        }
    }

    private static func anthropicPassthrough(_ request: JSONObject, route: RouteOptions) -> ConvertedRequest {
        var body = request
        var diagnostics: [ConversionDiagnostic] = []
        body["model"] = .string(route.upstreamModel)
        if let cap = route.maxTokensCap, let requested = body["max_tokens"]?.intValue, requested > cap {
            body["max_tokens"] = .int(Int64(cap))
            diagnostics.append(.info("/max_tokens", "max_tokens \(requested) capped to the route's \(cap)"))
        }
        if let temperature = route.temperature {
            body["temperature"] = .double(temperature)
        }
        if route.reasoningEffort != nil {
            diagnostics.append(
                .info("/", "the route's reasoning_effort has no Anthropic field and is not applied"))
        }
        if let extraBody = route.extraBody {
            body.merge(extraBody)
        }
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }
}

extension JSONObject {
    /// Merges a route's `extra_body` into an upstream body: nested objects
    /// merge key by key, any other value replaces, and `null` removes the key.
    /// Removal is how a config drops a field the converter always sends, such
    /// as `reasoning_effort` for a model that rejects it.
    mutating func merge(_ overrides: JSONObject) {
        for member in overrides {
            switch (self[member.key], member.value) {
            case (_, .null):
                removeValue(forKey: member.key)
            case (.object(var existing)?, .object(let nested)):
                existing.merge(nested)
                self[member.key] = .object(existing)
            default:
                self[member.key] = member.value
            }
        }
    }
}
