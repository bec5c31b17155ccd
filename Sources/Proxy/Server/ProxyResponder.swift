import Convert
import Hummingbird

/// What answers every request: a generate request (a `POST` to a path
/// ``ClientEndpoint`` reads as one, in any dialect) goes through
/// ``ExchangeMiddleware`` straight to ``GenerateEndpoint``; everything else
/// through the router, whose routes the same middleware wraps.
///
/// The router finds a route by splitting the path character by character:
/// ~80 instructions a character, 8 K for `/v1/messages` and 29 K for a
/// Gemini path (`/v1beta/models/{model}:generateContent`, its model matched
/// by a wildcard), on requests whose endpoint the path already names.
struct ProxyResponder: HTTPResponder {
    let router: RouterResponder<ProxyRequestContext>
    let middleware: ExchangeMiddleware
    let generate: GenerateEndpoint

    func respond(to request: Request, context: ProxyRequestContext) async throws -> Response {
        guard request.method == .post else { return try await router.respond(to: request, context: context) }
        var context = context
        context.readPath(of: request)
        // Anthropic's count_tokens has an endpoint of its own, in the router.
        guard let endpoint = context.clientEndpoint, endpoint.dialect != .anthropic || endpoint.operation == .generate
        else {
            return try await router.respond(to: request, context: context)
        }
        return try await middleware.handle(request, context: context, next: generate.handle)
    }
}
