import Convert
import Hummingbird
import Logging

/// Wraps every request: finds the client's connection (for hang-up
/// cancellation), turns every error into Anthropic's error shape, logs
/// requests for endpoints the proxy does not have, and puts `request-id` on
/// every response.
struct ExchangeMiddleware: RouterMiddleware {
    typealias Context = ProxyRequestContext

    let connections: ClientConnections

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.clientConnection = connections.connection(for: context.channel)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = apiError(for: error, request: request, logger: context.logger).response
        }
        response.headers[.requestID] = context.exchange.id
        return response
    }

    private func apiError(for error: any Error, request: Request, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            let level: Logger.Level = error.status >= 500 ? .warning : .info
            logger.log(level: level, "\(request.method) \(request.uri.path) -> \(error.status) \(error.type): \(error.message)")
            return error
        case let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed:
            // A client calling an endpoint we lack is worth seeing at once.
            logger.warning("unknown endpoint: \(request.method) \(request.uri.path)")
            return .notFound("unknown endpoint: \(request.method) \(request.uri.path)")
        case let error as HTTPError:
            return APIError(
                status: error.status.code, type: APIError.anthropicType(forStatus: error.status.code),
                message: error.body ?? error.status.reasonPhrase)
        case is CancellationError:
            logger.info("\(request.method) \(request.uri.path): client hung up; upstream request cancelled")
            return APIError(status: 499, type: "api_error", message: "client closed the connection")
        default:
            logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return .internalError("the proxy failed: \(error)")
        }
    }
}
