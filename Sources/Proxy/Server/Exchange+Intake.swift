import Convert
import Hummingbird
import Wire

/// The opening every Messages-shaped endpoint shares: read the body, record
/// it, parse it; later, route the model and record the route.
extension Exchange {
    /// The client's body as JSON. It is recorded before it is parsed, so a
    /// malformed request is in the cassette too: that is the one a user debugs.
    func readClientBody(_ request: Request, limit: Int) async throws -> JSONValue {
        let bytes = try await ClientRequestBody.collect(request, limit: limit)
        recordClientRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: request.headers,
            body: bytes)
        return try ClientRequestBody.json(bytes)
    }

    /// The route for `model` and its options, recorded as the `route` line;
    /// 404 listing the configured ids when nothing matches, 501 when the
    /// entry is a subscription (`provider`), which is not supported yet.
    func route(model: String, with router: ModelRouter) throws(APIError) -> (ModelRouter.Route, RouteOptions) {
        stage = .route
        noteRoute(requestedModel: model, routeID: nil, format: nil)
        let route = try router.requireRoute(model: model)
        if let provider = route.entry.provider {
            throw APIError.subscriptionUnsupported(provider: provider, modelID: route.entry.modelID)
        }
        let options = route.entry.routeOptions(requestedModel: model)
        recordRoute(entry: route.entry, options: options, requestedModel: model)
        return (route, options)
    }
}
