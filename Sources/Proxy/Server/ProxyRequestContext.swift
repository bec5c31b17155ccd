import Convert
import Hummingbird
import NIOCore

/// Per-request state shared by the middleware and the endpoints.
public struct ProxyRequestContext: RequestContext, ExchangeRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's channel, to find its ``ClientConnection``.
    let channel: any Channel
    /// Made with the context; ``ExchangeMiddleware`` replaces it with one
    /// that records when the proxy is recording.
    var exchange: Exchange
    /// Set by ``ExchangeMiddleware``; nil only if the channel was never seen.
    var clientConnection: ClientConnection?
    /// The endpoint the request's path names, parsed once by
    /// ``readPath(of:)``; nil for a path the proxy does not serve.
    var clientEndpoint: ClientEndpoint?
    /// The request's path, read once by ``readPath(of:)`` (Hummingbird
    /// makes a new String at each `uri.path`); empty until then.
    var path = ""
    /// The request's body as the intake reads it, set by ``ExchangeChannel``:
    /// ``ClientRequestBody`` reads it here rather than through the request's
    /// `RequestBody`, which wraps it in a type-erasing sequence (a closure
    /// and executor switches a part).
    var intakeBody: IntakeBody.Sequence?

    public init(source: ApplicationRequestContextSource) {
        let exchange = Exchange(id: ExchangeID.make())
        var logger = source.logger
        logger[metadataKey: "request_id"] = .string(exchange.id)
        coreContext = .init(source: ApplicationRequestContextSource(channel: source.channel, logger: logger))
        channel = source.channel
        self.exchange = exchange
    }

    /// Sets ``path`` and ``clientEndpoint`` from the request, once: the
    /// ``ProxyResponder`` reads them for a `POST`, ``ExchangeMiddleware``
    /// for any other request.
    mutating func readPath(of request: Request) {
        // An HTTP path is never empty ("/" at least); were one, reading it
        // again would give the same.
        guard path.isEmpty else { return }
        path = request.uri.path
        clientEndpoint = ClientEndpoint.parse(path: path, query: request.uri.query)
    }

    /// Runs `operation`, cancelling it if the client hangs up meanwhile
    /// (`@concurrent`: see ``ClientConnection/cancellingOnHangup(_:)``).
    @concurrent func cancellingOnHangup<T>(_ operation: @concurrent () async throws -> T) async rethrows -> T {
        guard let clientConnection else { return try await operation() }
        return try await clientConnection.cancellingOnHangup(operation)
    }
}
