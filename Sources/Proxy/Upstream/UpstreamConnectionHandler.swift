import AsyncHTTPClient
import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOSSL

/// One upstream connection's exchanges, a response at a time: the head
/// handed to the waiting request, the body to its reader with backpressure,
/// and the connection back to the pool once a response has ended cleanly.
///
/// Automatic reading is off: the connection reads while a response's reader
/// wants more (``UpstreamBody``'s demand), and while it idles in the pool,
/// so that an upstream closing it is noticed before it is reused.
///
/// Errors are AsyncHTTPClient's where it had one (`readTimeout`,
/// `remoteConnectionClosed`), so ``UpstreamFailure`` words them as before.
final class UpstreamConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// One request's side of the connection: a token to tell its late
    /// callbacks (a reader that stops after the response ended) from the
    /// next request's, and whether its reader is gone, which may be known
    /// before the request is sent (a task cancelled as it sends).
    final class Request: Sendable {
        private let gone = NIOLockedValueBox(false)

        var isGone: Bool { gone.withLockedValue { $0 } }
        func markGone() { gone.withLockedValue { $0 = true } }
    }

    /// A request's head as bytes (``UpstreamRequestHead``), and its method,
    /// which the response decoder needs (a `HEAD` answer has no body).
    struct Head: Sendable {
        let method: HTTPMethod
        let bytes: ByteBuffer
    }

    /// The upstream closed a pooled connection as a request went out on it
    /// (its keep-alive ran out): no byte came back (``InboundByteWatch``),
    /// or only a `408` closing the connection, which says the request was
    /// not read; the request may go once more on a new connection.
    struct StaleConnection: Error {}

    /// How soon after sending a lost connection counts as stale: a
    /// keep-alive race shows at once, while a loss after the upstream has
    /// had the request a while may mean it acted on it.
    static let staleWindow = TimeAmount.seconds(1)

    private enum State {
        /// In the pool, or new.
        case idle
        case awaitingHead(Request, CheckedContinuation<HTTPResponseHead, any Error>, UpstreamBody.Source)
        case streaming(Request, UpstreamBody.Source)
        case closed
    }

    /// How long an unused connection stays in the pool.
    static let idleTimeout = TimeAmount.seconds(60)

    private var state = State.idle
    private var context: ChannelHandlerContext?
    private let wire: ChannelHandlerContext
    private let decoder: HTTPResponseDecoder
    private let watch: InboundByteWatch
    /// The one timer: it fires at `timerFiresAt`, and then acts only if
    /// `deadline` has passed, else waits again until it. A read moves the
    /// deadline and leaves the timer alone: rescheduling a task on every
    /// read cost 13 K instructions a request.
    private var timer: Scheduled<Void>?
    private var timerFiresAt = NIODeadline.distantFuture
    /// When the connection times out: the read timeout after the last
    /// read while a request runs (and the proxy reads: not while its
    /// reader holds it back, see ``wantsMore``), the idle timeout while idle.
    private var deadline = NIODeadline.distantFuture
    private var readTimeout = TimeAmount.seconds(60)
    /// Whether the body's reader wants more: reading stops when it does not.
    private var wantsMore = true
    /// Whether the whole request has been written; a connection whose
    /// request is unfinished when its response ends is not reused.
    private var requestWritten = false
    /// Whether the response allows the connection to carry another request.
    private var keepAlive = false
    /// Whether the connection came from the pool for this request.
    private var reused = false
    private var sentAt = NIODeadline.distantPast
    private var release: (() -> Void)?

    /// - Parameters:
    ///   - wire: The context of the connection's ``SocketEndHandler``.
    ///   - decoder: The pipeline's response decoder, told each request's
    ///     method as it goes out.
    ///   - watch: The pipeline's ``InboundByteWatch``, below the decoder.
    init(wire: ChannelHandlerContext, decoder: HTTPResponseDecoder, watch: InboundByteWatch) {
        self.wire = wire
        self.decoder = decoder
        self.watch = watch
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Whether the connection can take a request now: it is idle and open.
    var isUsable: Bool {
        guard case .idle = state, let context else { return false }
        return context.channel.isActive
    }

    /// Sends `head` and `body` and waits for the response head, which
    /// resumes `headContinuation`; the body goes to `body`. Once the
    /// response has ended and the connection can be reused, `release` puts
    /// it back in the pool.
    func send(
        _ head: Head, body: ByteBuffer, request: Request, reused: Bool, readTimeout: TimeAmount,
        headContinuation: CheckedContinuation<HTTPResponseHead, any Error>, body bodySource: UpstreamBody.Source,
        release: @escaping () -> Void
    ) {
        if request.isGone {
            // Cancelled between taking the connection and this call: nothing
            // was sent, and the connection, in no pool now, is closed as a
            // later cancellation closes it (it stayed open until the
            // upstream dropped it).
            context?.close(promise: nil)
            headContinuation.resume(throwing: CancellationError())
            bodySource.finish(CancellationError())
            return
        }
        guard isUsable, let context else {
            let error: any Error = reused ? StaleConnection() : HTTPClientError.remoteConnectionClosed
            headContinuation.resume(throwing: error)
            bodySource.finish(error)
            return
        }
        state = .awaitingHead(request, headContinuation, bodySource)
        self.readTimeout = readTimeout
        self.release = release
        wantsMore = true
        requestWritten = false
        keepAlive = false
        self.reused = reused
        sentAt = .now()
        watch.clear()
        armTimer(readTimeout)
        // The decoder reads only the method (a `HEAD` answer has no body).
        decoder.write(data: .head(HTTPRequestHead(version: .http1_1, method: head.method, uri: "")))
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success: if self.current === request { requestWritten = true }
            case .failure(let error): if self.current === request { fail(lost(error)) }
            }
        }
        if body.readableBytes == 0 {
            wire.writeAndFlush(NIOAny(head.bytes), promise: written)
        } else {
            wire.write(NIOAny(head.bytes), promise: nil)
            wire.writeAndFlush(NIOAny(body), promise: written)
        }
        context.read()
    }

    private var current: Request? {
        switch state {
        case .awaitingHead(let request, _, _), .streaming(let request, _): request
        case .idle, .closed: nil
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch state {
        case .idle:
            // An idle connection has nothing to read: the upstream broke
            // the protocol, so the connection is not reused.
            close()
        case .closed:
            return
        case .awaitingHead(let request, let headContinuation, let body):
            deadline = .now() + readTimeout
            // (The decoder drops `1xx` heads: the first head is the answer's.)
            switch part {
            case .head(let head) where mayBeStale && head.status == .requestTimeout && !head.isKeepAlive:
                // The upstream gave up on the idle connection (`408` and a
                // close) as the request went out on it: by its own word it
                // did not read the request, which may go on a new connection.
                // Only right after the send, as for a lost connection: a
                // gateway's 408 after a while may follow work done upstream.
                fail(StaleConnection())
                close()
            case .head(let head):
                keepAlive = Self.canCarryAnother(after: head)
                state = .streaming(request, body)
                headContinuation.resume(returning: head)
            case .body, .end:
                break
            }
        case .streaming(_, let body):
            deadline = .now() + readTimeout
            switch part {
            case .head:
                break
            case .body(let buffer):
                switch body.yield(buffer) {
                case .produceMore: break
                case .stopProducing: wantsMore = false
                case .dropped: close()
                }
            case .end:
                // Back in the pool before the reader hears of the end: a
                // reader that sends its next request at once finds it there.
                ended()
                body.finish()
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        switch state {
        case .idle: context.read()
        case .awaitingHead, .streaming: if wantsMore { context.read() }
        case .closed: break
        }
        context.fireChannelReadComplete()
    }

    /// The reader wants more of the body.
    func readMore(_ request: Request) {
        guard current === request, !wantsMore else { return }
        wantsMore = true
        // The upstream's time starts again once it is read again.
        deadline = .now() + readTimeout
        context?.read()
    }

    /// The reader of `request`'s response stopped (cancelled, or done with
    /// the body before its end): a response still coming closes the
    /// connection, which is the only way to stop an upstream request.
    func readerGone(_ request: Request) {
        request.markGone()
        guard current === request else { return }
        fail(CancellationError())
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(lost(HTTPClientError.remoteConnectionClosed))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer that closes without `close_notify` (many do): the
        // close itself follows as `channelInactive`, which ends a body
        // framed by the close, or fails whatever else waits.
        if let error = error as? NIOSSLError, case .uncleanShutdown = error { return }
        fail(lost(error))
    }

    /// `error`, or ``StaleConnection`` when it is the connection's loss
    /// right after a request went out on a pooled connection, with not a
    /// byte back: a partial head, or a `1xx`, shows the upstream had the
    /// request, which must not be sent (and paid for) twice.
    private func lost(_ error: any Error) -> any Error {
        guard case .awaitingHead = state, mayBeStale, !watch.sawBytes, Self.isConnectionLoss(error) else {
            return error
        }
        return StaleConnection()
    }

    /// Whether the request went out on a pooled connection within
    /// ``staleWindow``: only such a request may be sent again.
    private var mayBeStale: Bool { reused && .now() - sentAt < Self.staleWindow }

    private static func isConnectionLoss(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
        if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
        if let error = error as? ChannelError { return error == .ioOnClosedChannel || error == .eof }
        return false
    }

    /// Whether the connection can carry another request once this answer
    /// has ended: not when it says `connection: close` (or is HTTP/1.0
    /// without keep-alive), switches protocols, or is framed by the close.
    private static func canCarryAnother(after head: HTTPResponseHead) -> Bool {
        guard head.isKeepAlive, head.status != .switchingProtocols else { return false }
        if head.status == .noContent || head.status == .notModified { return true }
        return head.headers.contains(name: "content-length")
            || head.headers[canonicalForm: "transfer-encoding"].contains { $0.lowercased() == "chunked" }
    }

    /// The response ended: the connection goes back to the pool when it
    /// can carry another request, else it is closed.
    private func ended() {
        guard requestWritten, keepAlive, let release else {
            close()
            return
        }
        state = .idle
        self.release = nil
        armTimer(Self.idleTimeout)
        release()
        context?.read()
    }

    /// Times the connection out `amount` from now.
    private func armTimer(_ amount: TimeAmount) {
        deadline = .now() + amount
        if timer == nil || timerFiresAt > deadline { schedule(at: deadline) }
    }

    private func schedule(at time: NIODeadline) {
        timer?.cancel()
        guard let context else { return }
        timerFiresAt = time
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: time) { [self] in
            timer = nil
            if NIODeadline.now() < deadline {
                schedule(at: deadline)
            } else if case .streaming = state, !wantsMore {
                // The proxy stopped reading (its client reads slowly): the
                // upstream is not silent, only unread.
                deadline = .now() + readTimeout
                schedule(at: deadline)
            } else if case .idle = state {
                close()
            } else {
                fail(HTTPClientError.readTimeout)
            }
        }
    }

    /// Fails whatever waits on the connection, and closes it.
    private func fail(_ error: any Error) {
        switch state {
        case .awaitingHead(_, let headContinuation, let body):
            state = .closed  // before resuming: nothing may fail it twice
            headContinuation.resume(throwing: error)
            body.finish(error)
        case .streaming(_, let body):
            state = .closed
            body.finish(error)
        case .idle, .closed:
            break
        }
        close()
    }

    private func close() {
        timer?.cancel()
        timer = nil
        release = nil
        state = .closed
        context?.close(promise: nil)
    }
}
