import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Mode `lean`'s upstream side: an HTTP/1.1 client with keep-alive
/// connections pooled per event loop, each request sent on the event loop of
/// the client's connection, its response head awaited once and its body
/// handed over as an `AsyncThrowingStream`. No timeouts, TLS, redirects or
/// decompression: how much of AsyncHTTPClient's cost a client bound to the
/// client's event loop would save, before those are added back.
final class LeanUpstreamClient: Sendable {
    private struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<LeanResponseHandler>
    }

    private let port: Int
    private let idle = NIOLockedValueBox<[ObjectIdentifier: [Connection]]>([:])

    init(port: Int) {
        self.port = port
    }

    /// Sends `head` and `body` on `eventLoop`; returns the response head and
    /// its body.
    func send(
        _ head: HTTPRequestHead, body: ByteBuffer, on eventLoop: any EventLoop
    ) async throws -> (
        HTTPResponseHead, AsyncThrowingStream<ByteBuffer, any Error>
    ) {
        let connection = try await connection(on: eventLoop)
        let (stream, bodyContinuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        let head = try await withCheckedThrowingContinuation {
            (headContinuation: CheckedContinuation<HTTPResponseHead, any Error>) in
            eventLoop.execute {
                connection.handler.value.begin(head: headContinuation, body: bodyContinuation) {
                    self.release(connection, on: eventLoop)
                }
                let channel = connection.channel
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
        return (head, stream)
    }

    private func connection(on eventLoop: any EventLoop) async throws -> Connection {
        let key = ObjectIdentifier(eventLoop)
        if let connection = idle.withLockedValue({ $0[key]?.popLast() }), connection.channel.isActive {
            return connection
        }
        return try await ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    let handler = LeanResponseHandler()
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
    }

    private func release(_ connection: Connection, on eventLoop: any EventLoop) {
        idle.withLockedValue { $0[ObjectIdentifier(eventLoop), default: []].append(connection) }
    }
}

/// One upstream connection's responses, one at a time.
final class LeanResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var head: CheckedContinuation<HTTPResponseHead, any Error>?
    private var body: AsyncThrowingStream<ByteBuffer, any Error>.Continuation?
    private var done: (() -> Void)?

    func begin(
        head: CheckedContinuation<HTTPResponseHead, any Error>,
        body: AsyncThrowingStream<ByteBuffer, any Error>.Continuation, done: @escaping () -> Void
    ) {
        self.head = head
        self.body = body
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head?.resume(returning: responseHead)
            head = nil
        case .body(let buffer):
            body?.yield(buffer)
        case .end:
            body?.finish()
            body = nil
            let done = self.done
            self.done = nil
            done?()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        struct Closed: Error {}
        head?.resume(throwing: Closed())
        body?.finish(throwing: Closed())
        head = nil
        body = nil
        context.fireChannelInactive()
    }
}
