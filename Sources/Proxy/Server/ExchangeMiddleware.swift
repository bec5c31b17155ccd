import Convert
import HTTPTypes
import Hummingbird
import Logging

/// Wraps every request: finds the client's connection (for hang-up
/// cancellation), refuses what a web page sent (``HostOriginPolicy``),
/// attaches the recorder, turns every error into the client
/// dialect's error shape, logs requests for endpoints the proxy does not have, and
/// ends the exchange for answers that are not streams.
struct ExchangeMiddleware: RouterMiddleware {
    typealias Context = ProxyRequestContext

    let connections: ClientConnections
    let recording: ExchangeRecording?
    /// Nil with `--no-metrics`.
    let metrics: ProxyMetrics?
    let tracing: ProxyTracing?
    let maxBodyBytes: Int
    /// Refuses requests a web page sent (see ``HostOriginPolicy``).
    let policy: HostOriginPolicy

    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.clientConnection = connections.connection(for: context.channel)
        // Hummingbird makes a new String at each `uri.path`; and the path is
        // parsed once for the whole exchange (a Gemini path, long and
        // parsed twice, cost about 2.4% of such a request's instructions).
        context.readPath(of: request)
        let path = context.path
        // Monitors (`/health`, `/metrics`) are not exchanges, and are
        // answered whatever the load: a scraper polls them all day, so no
        // access line, not counted in the metrics or the stats they serve,
        // not recorded.
        let observed = !ServedPaths.monitoring.contains(path)
        if observed {
            // A models list is logged and recorded but not counted: it is no
            // generation, and it raised `/v1/stats` `requests` as route
            // "none". (A generate path can look like a model's,
            // `/v1/models/m:generateContent`; the endpoint tells them apart.)
            let counted =
                context.clientEndpoint != nil
                || ServedPaths.methods(readingAt: path, servesMetrics: metrics != nil) == nil
            context.exchange = Exchange(
                id: context.exchange.id, startedAt: context.exchange.startedAt,
                startedAtDate: context.exchange.startedAtDate, recording: recording,
                accessLog: ExchangeAccessLog(method: request.method.rawValue, path: path, logger: context.logger),
                metrics: counted ? metrics : nil,
                trace: tracing?.trace(method: request.method.rawValue, path: path, headers: request.headers),
                countsTokens: context.clientEndpoint?.operation == .countTokens)
        }
        let exchange = context.exchange
        let endpoint = context.clientEndpoint
        exchange.clientDialect = endpoint?.dialect ?? Dialect(clientPath: path)
        if ![.post, .put, .patch].contains(request.method) {
            exchange.recordClientRequest(
                method: request.method.rawValue, path: path, query: request.uri.query,
                authority: request.head.authority, headers: request.headers,
                body: [])
        }
        let origin = request.headers[.origin]
        // The page the request came from, once the policy admitted it: its answers, errors
        // included, carry CORS headers so it may read them; a refused one gets none.
        var admittedOrigin: String?
        do {
            // Before anything is served, monitors too: `/metrics` and the
            // stats name the routes and their usage.
            if let refusal = policy.refusal(authority: request.head.authority, origin: origin) {
                throw refusal
            }
            admittedOrigin = origin
            if let origin, request.method == .options {
                // A browser's preflight, from a page the policy admits.
                let headers = CrossOriginHeaders.preflight(
                    origin: origin, requestedHeaders: request.headers[.accessControlRequestHeaders])
                let response = exchange.response(status: 204, headers: headers, body: ByteBuffer())
                exchange.recordEnd(outcome: .ok, status: 204, usage: nil)
                return response
            }
            if observed, !connections.admit(context.channel) { throw overloaded }
            if request.method != .post, endpoint != nil {
                // A generate path (`GET /v1/messages`, a Gemini
                // `:generateContent` a models route would read as a model).
                throw EndpointRefusal.methodNotAllowed(request.method, path: path, allow: "POST")
            }
            var response = try await next(request, context)
            response.headers.setRequestID(exchange.id, for: exchange.clientDialect)
            if let admittedOrigin { CrossOriginHeaders.add(origin: admittedOrigin, to: &response.headers) }
            if !exchange.isStreaming {
                let status = Int(response.status.code)
                exchange.recordEnd(outcome: status < 400 ? .ok : .error, status: status, usage: exchange.usage)
            }
            return response
        } catch {
            let cancellation = ExchangeCancellation(after: error, connection: context.clientConnection)
            let apiError =
                cancellation?.error
                ?? apiError(for: error, request: request, path: path, exchange: exchange, logger: context.logger)
            if exchange.recording != nil, exchange.claimClientRequest() {
                // The endpoint never read this body (unknown path, or a body
                // over the limit); record what can be read of it.
                let body =
                    (try? await ClientRequestBody.collect(request, intake: context.intakeBody, limit: maxBodyBytes))
                    ?? ByteBuffer()
                exchange.recordClientRequestUnclaimed(
                    method: request.method.rawValue, path: path, query: request.uri.query,
                    authority: request.head.authority,
                    headers: request.headers, body: Array(body.readableBytesView))
            }
            exchange.recordError(apiError, stage: cancellation?.stage ?? exchange.stage)
            // A client that is gone is sent nothing: no response recorded, no first byte.
            var response =
                cancellation?.clientIsGone == true
                ? Response(status: .init(code: apiError.status(in: exchange.clientDialect)))
                : exchange.errorResponse(apiError)
            if let admittedOrigin { CrossOriginHeaders.add(origin: admittedOrigin, to: &response.headers) }
            exchange.recordEnd(
                outcome: cancellation?.outcome ?? .error, status: apiError.status(in: exchange.clientDialect),
                usage: nil)
            return response
        }
    }

    /// The answer on a connection over `--max-connections`: to be retried
    /// (`x-should-retry: true`), once another connection closes, which no
    /// `retry-after` could tell.
    private var overloaded: APIError {
        APIError(
            status: 503, type: "overloaded_error",
            message: "the proxy is serving its most connections at once (--max-connections "
                + "\(connections.maxConnections ?? 0)); retry in a moment", shouldRetry: true)
    }

    private func apiError(
        for error: any Error, request: Request, path: String, exchange: Exchange, logger: Logger
    ) -> APIError {
        switch error {
        case let error as APIError:
            // Logged on the exchange's access line.
            return error
        case let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed:
            let refusal = EndpointRefusal.unrouted(
                request.method, path: path, headers: request.headers, servesMetrics: metrics != nil)
            exchange.clientDialect = refusal.dialect
            // A client calling an endpoint we lack is worth seeing at once.
            if refusal.error.status != 400 { logger.warning("\(refusal.error.message)") }
            return refusal.error
        case let error as HTTPError:
            return APIError(
                status: error.status.code, type: APIError.anthropicType(forStatus: error.status.code),
                message: error.body ?? error.status.reasonPhrase)
        default:
            logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return .internalError("the proxy failed: \(error)")
        }
    }
}

extension ExchangeMiddleware {
    /// The answer to a request head NIO's decoder refused
    /// (``RequestHeadRefusal``), which never reaches ``handle(_:context:next:)``:
    /// an exchange of its own, logged (its method and path unknown: `- -`)
    /// and counted as a request to no route, as an unknown endpoint's 404
    /// is. Not recorded: there is no request to record.
    func refuseHead(_ error: APIError, logger: Logger) -> Response {
        let id = ExchangeID.make()
        var logger = logger
        logger[metadataKey: "request_id"] = .string(id)
        let exchange = Exchange(
            id: id, accessLog: ExchangeAccessLog(method: "-", path: "-", logger: logger), metrics: metrics)
        exchange.recordError(error, stage: exchange.stage)
        let response = exchange.errorResponse(error)
        exchange.recordEnd(outcome: .error, status: error.status, usage: nil)
        return response
    }
}
