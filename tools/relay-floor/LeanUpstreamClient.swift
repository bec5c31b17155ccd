import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix

/// Mode `lean`'s upstream side: an HTTP/1.1 client with keep-alive
/// connections pooled per event loop, each request sent on the event loop of
/// the client's connection. What a production client needs beyond that, so
/// that the count says what such a client would cost: the response head
/// awaited once, the body handed over with backpressure (a
/// `NIOThrowingAsyncSequenceProducer` whose demand drives `read()`, automatic
/// reading off), a read timeout re-armed on every read, and gzip and deflate
/// decoded. Left out: TLS (a handler in the same pipeline), redirects and
/// error wording (the proxy's own).
final class LeanUpstreamClient: Sendable {
    typealias Body = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Demand
    >

    /// Asks the connection's handler for more when the body's reader wants it.
    struct Demand: NIOAsyncSequenceProducerDelegate {
        let handler: NIOLoopBound<LeanResponseHandler>

        func produceMore() {
            let handler = self.handler
            handler.eventLoop.execute { handler.value.readMore() }
        }

        func didTerminate() {}
    }

    private struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<LeanResponseHandler>
    }

    private let port: Int
    private let readTimeout: TimeAmount
    private let idle = NIOLockedValueBox<[ObjectIdentifier: [Connection]]>([:])

    init(port: Int, readTimeout: TimeAmount = .seconds(60)) {
        self.port = port
        self.readTimeout = readTimeout
    }

    /// Sends `head` and `body` on `eventLoop`; returns the response head and
    /// its body.
    func send(
        _ head: HTTPRequestHead, body: ByteBuffer, on eventLoop: any EventLoop
    ) async throws -> (
        HTTPResponseHead, Body
    ) {
        let connection = try await connection(on: eventLoop)
        let producer = Body.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8), finishOnDeinit: true,
            delegate: Demand(handler: connection.handler))
        let source = producer.source
        let responseHead = try await withCheckedThrowingContinuation {
            (headContinuation: CheckedContinuation<HTTPResponseHead, any Error>) in
            eventLoop.execute {
                connection.handler.value.begin(head: headContinuation, body: source) {
                    self.release(connection, on: eventLoop)
                }
                let channel = connection.channel
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                channel.read()
            }
        }
        return (responseHead, producer.sequence)
    }

    private func connection(on eventLoop: any EventLoop) async throws -> Connection {
        let key = ObjectIdentifier(eventLoop)
        if let connection = idle.withLockedValue({ $0[key]?.popLast() }), connection.channel.isActive {
            return connection
        }
        let readTimeout = self.readTimeout
        return try await ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.autoRead, value: false)
            .connectTimeout(.seconds(10))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(NIOHTTPResponseDecompressor(limit: .ratio(100)))
                    let handler = LeanResponseHandler(readTimeout: readTimeout)
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

    struct TimedOut: Error {}
    struct Closed: Error {}

    private let readTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var head: CheckedContinuation<HTTPResponseHead, any Error>?
    private var body: LeanUpstreamClient.Body.Source?
    private var done: (() -> Void)?
    private var timeout: Scheduled<Void>?
    /// Whether the body's reader wants more: reads stop when it does not.
    private var wantsMore = true

    init(readTimeout: TimeAmount) {
        self.readTimeout = readTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func begin(
        head: CheckedContinuation<HTTPResponseHead, any Error>, body: LeanUpstreamClient.Body.Source,
        done: @escaping () -> Void
    ) {
        self.head = head
        self.body = body
        self.done = done
        wantsMore = true
        armTimeout()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        armTimeout()
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head?.resume(returning: responseHead)
            head = nil
        case .body(let buffer):
            if body?.yield(buffer) == .stopProducing { wantsMore = false }
        case .end:
            timeout?.cancel()
            timeout = nil
            body?.finish()
            body = nil
            let done = self.done
            self.done = nil
            done?()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if body != nil, wantsMore { context.read() }
    }

    func readMore() {
        guard body != nil, !wantsMore else { return }
        wantsMore = true
        context?.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(Closed())
        context.fireChannelInactive()
    }

    private func armTimeout() {
        timeout?.cancel()
        guard let context else { return }
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: readTimeout) { [self] in
            fail(TimedOut())
            context.close(promise: nil)
        }
    }

    private func fail(_ error: any Error) {
        timeout?.cancel()
        timeout = nil
        head?.resume(throwing: error)
        body?.finish(error)
        head = nil
        body = nil
    }
}
