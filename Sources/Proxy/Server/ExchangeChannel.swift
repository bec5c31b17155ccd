import Convert
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// A client's HTTP/1.1 connection: NIO's request decoder and the additional
/// handlers, as in Hummingbird's `HTTP1Channel`, ending in a
/// ``RequestIntakeHandler`` instead of HTTPTypes' codec, `NIOAsyncChannel`
/// and Hummingbird's connection-state handler (the intake converts request
/// heads itself, and writes answers as bytes with a ``ResponseEncoder``);
/// and a task that answers its requests one after the other with
/// `responder`.
///
/// The task and its children run on the connection's own event loop
/// (``EventLoopTaskExecutor``), where the upstream client pools its
/// connections, so handing a request over and writing the answer are calls
/// on the loop, not hops between threads; the flushes of one loop turn are
/// one (``FlushCoalescingHandler``).
///
/// What Hummingbird's `Application` does for each request is done here:
/// the request context, a 500 for an error the responder lets through, the
/// `Date` header; `Application`'s own per-request closure (which writes
/// through `NIOAsyncChannel`) is not used. A request saying `Connection:
/// close`, an HTTP/1.0 one or one asking to upgrade gets its answer, then the
/// connection closes (``RequestIntakeHandler/closesConnection(_:)``); input
/// that is not HTTP gets 400 (431 for a head too large) with a JSON error
/// saying why, and a close (``RequestHeadRefusal``).
struct ExchangeChannel<Responder: HTTPResponder>: ServerChildChannel
where Responder.Context: ExchangeRequestContext {
    /// The channel and the handler its task takes requests from.
    typealias Value = ExchangeConnection

    let responder: Responder
    /// Between NIO's request decoder and the intake, made for each
    /// connection. They see NIO's request parts (`HTTPServerRequestPart`)
    /// inbound, and must not write: nothing between them and the socket
    /// encodes a response part (answers go out from the intake, as bytes).
    let additionalHandlers: @Sendable () -> [any RemovableChannelHandler]
    /// Decides `100 Continue` (see ``RequestIntakeHandler``).
    let maxBodyBytes: Int
    /// How long a client has to send a request head in full.
    let headTimeout: Duration

    /// The answer to a request head NIO's decoder refused (see
    /// ``RequestHeadRefusal``): the proxy's logs and counts it as its other
    /// client errors (``ExchangeMiddleware/refuseHead(_:logger:)``).
    let refuseHead: @Sendable (APIError, Logger) -> Response

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            // Nearest the socket: it holds the flushes of every handler above.
            try pipeline.addHandler(FlushCoalescingHandler(), position: .first)
            // Answers are written as bytes from here (`ResponseEncoder`),
            // past the request's decoder, which only reads; the intake
            // converts request heads to HTTPTypes' itself.
            let wire = SocketEndHandler()
            try pipeline.addHandler(wire)
            try pipeline.addHandler(
                ByteToMessageHandler(
                    HTTPRequestDecoder(
                        leftOverBytesStrategy: .dropBytes, limitConfiguration: RequestHeadRefusal.decoderLimits),
                    maximumBufferSize: RequestHeadRefusal.maxUnparsedBytes))
            try pipeline.addHandlers(additionalHandlers())
            let intake = RequestIntakeHandler(
                maxBodyBytes: maxBodyBytes, headTimeout: headTimeout, wire: try pipeline.context(handler: wire))
            try pipeline.addHandler(intake)
            return ExchangeConnection(channel: channel, intake: NIOLoopBound(intake, eventLoop: channel.eventLoop))
        }
    }

    func handle(value connection: ExchangeConnection, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: connection.channel.eventLoop)) {
            await withTaskCancellationHandler {
                await serve(connection, logger: logger)
            } onCancel: {
                connection.cancel()
            }
        }
        // Not at once: what the kernel has not taken of the last answer would
        // be dropped.
        await connection.closeWhenWritten()
    }

    private func serve(_ connection: ExchangeConnection, logger: Logger) async {
        let dates = HTTPDateHeader.shared
        while true {
            switch await connection.nextEvent() {
            case .ended:
                return
            case .malformed(let error):
                logger.debug("HTTP parse error, closing connection", metadata: ["error.message": "\(error.message)"])
                var response = refuseHead(error, logger)
                response.headers[.date] = dates.value()
                response.headers[.connection] = "close"
                try? await connection.write(response: response.head, body: response.body)
                return
            case .request(let request, let body, let closesConnection):
                var context = Responder.Context(
                    source: ApplicationRequestContextSource(channel: connection.channel, logger: logger))
                context.intakeBody = IntakeBody.Sequence(body: body)
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch {
                    logger.debug("Unrecognised Error", metadata: ["error.type": "\(error)"])
                    response = Response(status: .internalServerError, body: ResponseBody())
                }
                response.headers[.date] = dates.value()
                if closesConnection { response.headers[.connection] = "close" }
                do {
                    try await connection.write(response: response.head, body: response.body)
                } catch {
                    logger.trace("Failed to write to the client's channel: \(error)")
                    return
                }
                // What the responder left of the body is read and dropped.
                connection.answered(body)
                if closesConnection { return }
            }
        }
    }
}

extension HTTPServerBuilder {
    /// ``ExchangeChannel`` connections answered by `responder`. The
    /// responder `Application` hands a server builder is not used (see
    /// ``ExchangeChannel``): pass `Application` the same responder.
    static func exchanges<Responder: HTTPResponder>(
        _ responder: Responder, maxBodyBytes: Int, headTimeout: Duration,
        additionalHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] },
        refuseHead: @escaping @Sendable (APIError, Logger) -> Response = { error, _ in
            Exchange(id: ExchangeID.make()).errorResponse(error)
        }
    ) -> HTTPServerBuilder where Responder.Context: ExchangeRequestContext {
        .init { _ in
            ExchangeChannel(
                responder: responder, additionalHandlers: additionalHandlers, maxBodyBytes: maxBodyBytes,
                headTimeout: headTimeout, refuseHead: refuseHead)
        }
    }
}

/// A request context an ``ExchangeChannel`` can make: from Hummingbird's
/// source, with the request's body as the intake reads it.
protocol ExchangeRequestContext: InitializableFromSource<ApplicationRequestContextSource> {
    var intakeBody: IntakeBody.Sequence? { get set }
}
