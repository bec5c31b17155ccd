import Convert
import Hummingbird
import Logging
import Wire

/// `POST /v1/messages` (and `/anthropic/v1/messages`): validate, route,
/// convert, call the upstream, answer in Anthropic's shape.
struct MessagesEndpoint: Sendable {
    let router: ModelRouter
    let upstream: UpstreamClient
    let maxBodyBytes: Int

    func handle(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        let exchange = context.exchange
        let body = try await exchange.readClientBody(request, limit: maxBodyBytes)
        try RequestConverter.validate(anthropicRequest: body)
        let model = body["model"]?.stringValue ?? ""
        let (route, options) = try exchange.route(model: model, with: router)
        exchange.stage = .conversion
        let converted = try RequestConverter.convert(anthropicRequest: body, route: options)
        for diagnostic in converted.diagnostics {
            let level: Logger.Level = diagnostic.severity == .warning ? .warning : .debug
            context.logger.log(level: level, "conversion: \(diagnostic.path): \(diagnostic.message)")
        }
        exchange.recordDiagnostics(converted.diagnostics)
        let streaming = body["stream"]?.boolValue == true
        let call = UpstreamCall(
            entry: route.entry, options: options, requestedModel: model, client: upstream, exchange: exchange,
            logger: context.logger)
        let upstreamBody = converted.body.serialized()
        let upstreamRequest = UpstreamRequest.make(
            url: UpstreamRequest.messagesURL(
                for: route.entry, route: options, stream: streaming, clientQuery: request.uri.query),
            entry: route.entry, clientHeaders: request.headers, body: upstreamBody, streaming: streaming)
        context.logger.debug("\(model) -> \(call.upstreamName) as \(options.upstreamModel), stream: \(streaming)")

        return try await context.cancellingOnHangup {
            let response = try await call.send(upstreamRequest, body: upstreamBody)
            if streaming { return call.streamingResponse(response, connection: context.clientConnection) }
            return try await call.bufferedResponse(response)
        }
    }
}

extension ModelRouter {
    /// The route for `model`, or 404 `not_found_error` listing what exists.
    func requireRoute(model: String) throws(APIError) -> Route {
        guard let route = route(model: model) else {
            throw .notFound(
                "model `\(model)` is not configured; configured models: \(modelIDs.joined(separator: ", ")) "
                    + "(add an alias or a default in models.yaml to route other names)")
        }
        return route
    }
}
