import Convert
import Hummingbird
import Wire

/// `POST /v1/messages/count_tokens`. Anthropic-format upstreams count for
/// themselves, so the request is forwarded (model name replaced). Other
/// upstreams have no such endpoint: the answer is ``TokenEstimator``'s local
/// estimate from the text the request carries, good enough for a client
/// deciding when to compact, and never a call that costs money.
struct CountTokensEndpoint: Sendable {
    let routes: LiveRouter
    let upstream: UpstreamClient
    let maxBodyBytes: Int

    func handle(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        let exchange = context.exchange
        var body = try await exchange.readClientBody(
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
        guard route.entry.format == .anthropic else {
            let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: body)
            return exchange.json(["input_tokens": .int(Int64(estimate))])
        }
        body["model"] = .string(options.upstreamModel)
        let call = UpstreamCall(
            entry: route.entry, options: options,
            request: try ClientRequest(
                endpoint: ClientEndpoint(dialect: .anthropic, operation: .countTokens), body: body),
            client: upstream, eventLoop: context.channel.eventLoop, exchange: exchange,
            logger: context.logger)
        let upstreamBody = body.serialized()
        let upstreamRequest = UpstreamRequest.make(
            url: UpstreamRequest.countTokensURL(for: route.entry, route: options, clientQuery: request.uri.query),
            entry: route.entry, clientHeaders: request.headers, streaming: false)
        return try await context.cancellingOnHangup {
            var sent = upstreamRequest
            let response = try await call.send(&sent, body: upstreamBody)
            return try await call.bufferedResponse(response, sent: sent)
        }
    }
}
