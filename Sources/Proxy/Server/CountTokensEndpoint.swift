import Convert
import Hummingbird
import Wire

/// `POST /v1/messages/count_tokens`. Anthropic-format upstreams count for
/// themselves, so the request is forwarded (model name replaced). Other
/// upstreams have no such endpoint: the answer is ``TokenEstimator``'s local
/// estimate from the text the request carries, good enough for a client
/// deciding when to compact, and never a call that costs money.
///
/// OpenAI Responses' `input_tokens` and Gemini's `countTokens` come through
/// ``GenerateEndpoint``, which forwards the former here alike when its
/// route's upstream is the Responses API.
struct CountTokensEndpoint: Sendable {
    let routes: LiveRouter
    let upstream: UpstreamClient
    let maxBodyBytes: Int

    func handle(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        let exchange = context.exchange
        let body = try await exchange.readClientBody(
            request, intake: context.intakeBody, path: context.path, limit: maxBodyBytes
        ).value
        guard case .object = body else { throw APIError.invalidRequest("request body must be a JSON object") }
        guard let model = body["model"]?.stringValue, !model.isEmpty else {
            throw APIError.invalidRequest("model: field required (a string)")
        }
        guard case .array = body["messages"] else {
            throw APIError.invalidRequest("messages: field required (an array of messages)")
        }
        // Routed as the request it counts for would be: by scenario
        // (`router:`) first, so the count comes from the entry that serves it.
        let counted = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic, operation: .countTokens), body: body)
        let (route, options) = try exchange.route(counted, with: routes.router)
        guard Self.upstreamCounts(counted, entry: route.entry) else {
            let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: body)
            return exchange.json(ClientCodec.countTokensResponse(inputTokens: estimate, dialect: .anthropic))
        }
        return try await forward(counted, entry: route.entry, options: options, request: request, context: context)
    }

    /// Whether `entry`'s upstream counts `counted` for itself: it speaks the
    /// client's dialect and has a count endpoint (Anthropic's
    /// `count_tokens`, OpenAI Responses' `input_tokens`; a subscription
    /// backend such as Codex serves no such endpoint).
    static func upstreamCounts(_ counted: ClientRequest, entry: ModelEntry) -> Bool {
        switch (counted.dialect, entry.format) {
        case (.anthropic, .anthropic): true
        case (.openaiResponses, .openaiResponses): entry.oauthSession == nil
        default: false
        }
    }

    /// Sends `counted` to the route's own count endpoint, the model name
    /// replaced, and answers as the upstream did (its errors in the client's
    /// shape).
    func forward(
        _ counted: ClientRequest, entry: ModelEntry, options: RouteOptions, request: Request,
        context: ProxyRequestContext
    ) async throws -> Response {
        var body = counted.body
        body["model"] = .string(options.upstreamModel)
        let call = UpstreamCall(
            entry: entry, options: options, request: try ClientRequest(endpoint: counted.endpoint, body: body),
            client: upstream, eventLoop: context.channel.eventLoop, exchange: context.exchange,
            logger: context.logger)
        let upstreamBody = body.serialized()
        let upstreamRequest = UpstreamRequest.make(
            url: UpstreamRequest.countTokensURL(for: entry, route: options, clientQuery: request.uri.query),
            entry: entry, clientHeaders: request.headers, streaming: false)
        return try await context.cancellingOnHangup {
            var sent = upstreamRequest
            let response = try await call.send(&sent, body: upstreamBody)
            return try await call.bufferedResponse(response, sent: sent)
        }
    }
}
