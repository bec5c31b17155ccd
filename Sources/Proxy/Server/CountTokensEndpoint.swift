import Convert
import Hummingbird
import Wire

/// `POST /v1/messages/count_tokens`. Anthropic-format upstreams count for
/// themselves, so the request is forwarded (model name replaced). Other
/// upstreams have no such endpoint: the answer is ``TokenEstimator``'s local
/// estimate (about four characters a token over the text the request
/// carries), good enough for a client deciding when to compact, and never
/// a call that costs money.
struct CountTokensEndpoint: Sendable {
    let router: ModelRouter
    let upstream: UpstreamClient
    let maxBodyBytes: Int

    func handle(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        var body = try ClientRequestBody.json(try await ClientRequestBody.collect(request, limit: maxBodyBytes))
        guard case .object = body else { throw APIError.invalidRequest("request body must be a JSON object") }
        guard let model = body["model"]?.stringValue, !model.isEmpty else {
            throw APIError.invalidRequest("model: field required (a string)")
        }
        guard case .array = body["messages"] else {
            throw APIError.invalidRequest("messages: field required (an array of messages)")
        }
        let route = try router.requireRoute(model: model)
        guard route.entry.format == .anthropic else {
            let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: body)
            let answer: JSONValue = ["input_tokens": .int(Int64(estimate))]
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.serialized())))
        }
        let options = route.entry.routeOptions(requestedModel: model)
        body["model"] = .string(options.upstreamModel)
        let call = UpstreamCall(
            entry: route.entry, options: options, requestedModel: model, client: upstream, logger: context.logger)
        let upstreamRequest = UpstreamRequest.make(
            url: UpstreamRequest.countTokensURL(for: route.entry, clientQuery: request.uri.query), entry: route.entry,
            clientHeaders: request.headers, body: body.serialized(), streaming: false)
        return try await context.cancellingOnHangup {
            let response = try await call.send(upstreamRequest)
            guard (200..<300).contains(response.status.code) else { throw await call.error(from: response) }
            return try await call.bufferedResponse(response)
        }
    }
}
