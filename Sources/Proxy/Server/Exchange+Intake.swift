import Convert
import Hummingbird
import NIOCore
import NIOHTTP1
import Wire

/// The opening every Messages-shaped endpoint shares: read the body, record
/// it, parse it; later, route the model and record the route.
extension Exchange {
    /// The client's body as JSON. It is recorded before it is parsed, so a
    /// malformed request is in the cassette too: that is the one a user debugs.
    /// `path` is the request's, as the middleware read it; `intake`, its
    /// body as the intake reads it (``ProxyRequestContext/intakeBody``).
    func readClientBody(
        _ request: Request, intake: IntakeBody.Sequence?, path: String, limit: Int
    ) async throws -> JSONDocument {
        let bytes: ByteBuffer
        do {
            bytes = try await ClientRequestBody.collect(request, intake: intake, limit: limit)
        } catch {
            // A body can be read once (a second read finds nothing left):
            // it is recorded now, without its bytes, so the middleware does
            // not read it again (the client hung up midway, or it passed the
            // limit).
            recordClientRequest(
                method: request.method.rawValue, path: path, query: request.uri.query,
                authority: request.head.authority,
                headers: request.headers, body: [])
            // Anything but the limit and a body that is not HTTP is the
            // client's connection failing midway (its close can reach the
            // body before the connection hears of it): the client is gone,
            // and recorded so.
            if error is APIError { throw error }
            if let error = error as? HTTPParserError {
                throw APIError.invalidRequest(
                    "the request body's HTTP/1.1 framing is malformed: \(RequestHeadRefusal.describe(error))")
            }
            throw CancellationError()
        }
        // One copy out of the buffer, which the recording and the parsed
        // document share.
        let body = Array(bytes.readableBytesView)
        recordClientRequest(
            method: request.method.rawValue, path: path, query: request.uri.query, authority: request.head.authority,
            headers: request.headers,
            body: body)
        do {
            return try ClientRequestBody.json(body)
        } catch {
            // Looked at only for a body that did not parse: no header lookup on the way of one that did.
            if let encoding = request.headers[.contentEncoding], encoding.lowercased() != "identity" {
                throw ClientRequestBody.unsupportedEncoding(encoding)
            }
            throw error
        }
    }

    /// The route for a request and its options, recorded as the `route`
    /// line: by scenario (`router:`), else by its model name; the route line
    /// names the scenario. 404 listing the configured ids when nothing
    /// matches, and what ``checkServable(_:)`` says of a subscription entry.
    func route(
        _ request: ClientRequest, with router: ModelRouter
    ) throws(APIError) -> (ModelRouter.Route, RouteOptions) {
        let model = request.model
        stage = .route
        // Noted before routing, so the access line of a 404 names the model.
        noteRoute(requestedModel: model, routeID: nil, format: nil)
        guard let route = router.route(for: request) else { throw router.unknownModel(model) }
        try checkServable(route.entry)
        let options = route.entry.routeOptions(requestedModel: model, idSeed: id)
        recordRoute(entry: route.entry, options: options, requestedModel: model, scenario: route.scenario)
        return (route, options)
    }

    /// A subscription entry (`provider`) is served once its login is
    /// applied: 401 naming the login command when there is none, 501 for a
    /// provider this build does not know.
    func checkServable(_ entry: ModelEntry) throws(APIError) {
        guard let provider = entry.provider, !entry.subscriptionReady else { return }
        if let known = SubscriptionProvider(rawValue: provider) {
            throw APIError.subscriptionNotLoggedIn(provider: known, modelID: entry.modelID)
        }
        throw APIError.subscriptionUnsupported(provider: provider, modelID: entry.modelID)
    }
}
