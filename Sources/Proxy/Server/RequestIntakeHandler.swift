import Convert
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Wire

/// The last handler of a client connection's pipeline, where Hummingbird
/// puts `NIOAsyncChannel`: it hands each request to the connection's task
/// as its head arrives, its body following through an ``IntakeBody``, and
/// it tells that task when the channel takes writes again.
///
/// Why not `NIOAsyncChannel`: its inbound stream and outbound writer are
/// state machines behind locks, generic over the parts they carry and not
/// specialized across modules, and a small request went through them six
/// times (a head, a body, an end in; a head, a body, an end out). The
/// connection's task runs on this channel's event loop
/// (``ExchangeChannel``), so a request is handed over by resuming one
/// continuation, a body that came with its head is taken whole without
/// waiting, and a response part is written as bytes (``ResponseEncoder``)
/// from the context of the ``SocketEndHandler`` next to the socket's side.
///
/// Reads are held (the socket is left unread, so TCP pushes back) while a
/// request waits for the task, and while a body has more bytes buffered
/// than ``IntakeBody/highWater``.
///
/// It also keeps what the connection owes: the requests read and not yet
/// answered. From that come the guard against slow heads
/// (``RequestHeadDeadline``), the close after the last answer owed when the
/// server shuts down gracefully (Hummingbird's `ChannelShouldQuiesceEvent`;
/// at once when nothing is owed), and `100 Continue` sent at once for a head
/// that expects it (curl waits a second for it before a large body; some
/// clients wait for good), unless its `content-length` is over the body
/// limit: its 413 comes at once and the client need not send the body.
/// Separate handlers did this before, at ~4% of a small request's
/// instructions in passes through them and a timer scheduled and cancelled
/// for each request. Every method runs on the event loop.
final class RequestIntakeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPResponsePart

    /// What the connection's task gets next.
    enum Event {
        /// A request, and its body as the handler reads it: ``IntakeBody/discard()``
        /// it once the request is answered. `closesConnection`: the
        /// connection closes after its answer (see ``closesConnection(_:)``).
        case request(Request, NIOLoopBound<IntakeBody>, closesConnection: Bool)
        /// The client sent something that is not HTTP/1.1 where a request
        /// head should be: answer with the error (``RequestHeadRefusal``)
        /// and close.
        case malformed(APIError)
        /// No more requests: the client closed or half-closed, the channel
        /// failed, or a body was not HTTP (its request gets its answer, then
        /// the connection closes). Every later call gets it again.
        case ended
    }

    /// The body of the request being read: from its head to its end.
    private var body: IntakeBody?
    private var waiting = CircularBuffer<Event>(initialCapacity: 2)
    private var taker: CheckedContinuation<Event, Never>?
    private var writabilityWaiter: CheckedContinuation<Void, any Error>?
    private var readHeld = false
    private var ended = false
    /// Input that is not HTTP came: later errors (NIO's decoder reports any
    /// more input as one) are ignored, and reads are held.
    private var malformed = false
    /// The last answer's end, written when the future completes: a close
    /// waits for it, or the kernel's send buffer would lose the answer's tail.
    private var lastEnd: EventLoopFuture<Void>?
    /// Closing (``closeWhenWritten()``): input is read and dropped.
    private var lingering = false
    /// ``closeWhenWritten(then:)`` was called: no answer follows, so the
    /// client is timed from then on, whatever it still owes or reads.
    private var closing = false
    /// Whether the client reads an answer that waits on it.
    private var readProgress = ClientReadProgress()
    private var context: ChannelHandlerContext?
    /// Where answers are written, as bytes: the context of the
    /// ``SocketEndHandler``, next to the socket's side.
    private let wire: ChannelHandlerContext
    private var encoder = ResponseEncoder()

    private static let expect = HTTPField.Name("expect")!
    private let maxBodyBytes: Int
    /// Heads read less answers ended.
    private var owed = 0
    /// For each request owed an answer, in order, whether it still waits
    /// for `100 Continue`: sent only once the answers before it ended, or
    /// it would land inside one (a stream being written).
    private var continueOwed = CircularBuffer<Bool>(initialCapacity: 2)
    private var closeWhenAnswered = false
    private var headDeadline: RequestHeadDeadline
    private var headTimer: Scheduled<Void>?

    /// `maxBodyBytes` decides whether a head expecting `100 Continue` gets
    /// it; `headTimeout` is how long a client has to send a head in full.
    /// `wire` is the context of the ``SocketEndHandler`` the answers go out from.
    init(maxBodyBytes: Int, headTimeout: Duration, wire: ChannelHandlerContext) {
        self.maxBodyBytes = maxBodyBytes
        self.wire = wire
        headDeadline = RequestHeadDeadline(timeout: headTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startHeadDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        end(failingWritesWith: ChannelError.ioOnClosedChannel)
        stopHeadTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startHeadDeadline(context)
        context.fireChannelActive()
    }

    // MARK: What the connection's task calls

    /// The next event at once, if one waits; nil when the caller must wait
    /// with ``awaitEvent(_:)``.
    func takeEvent() -> Event? {
        guard let event = waiting.popFirst() else { return ended ? .ended : nil }
        readIfHeld()
        return event
    }

    /// Resumes `continuation` with the next event. Only after
    /// ``takeEvent()`` found none, and one taker at a time.
    func awaitEvent(_ continuation: CheckedContinuation<Event, Never>) {
        precondition(taker == nil, "one task takes a connection's requests")
        taker = continuation
    }

    /// Writes a response part and flushes it (``FlushCoalescingHandler``
    /// makes the flushes of one event-loop turn one). Returns whether the
    /// channel takes more writes now; if not, ``awaitWritable(_:)``.
    func write(_ part: HTTPResponsePart) throws -> Bool {
        guard let context, context.channel.isActive else { throw ChannelError.ioOnClosedChannel }
        var part = part
        if case .head(var response) = part, ended, response.status.kind != .informational {
            // No request follows (a body that was not HTTP, the input
            // closed): the connection closes after this answer, and says so,
            // so a pooling client does not send the next request into it.
            response.headerFields[.connection] = "close"
            part = .head(response)
        }
        guard case .end = part else {
            encoder.write(part, on: wire, promise: nil)
            wire.flush()
            return context.channel.isWritable
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        encoder.write(part, on: wire, promise: written)
        wire.flush()
        lastEnd = written.futureResult
        answered(context)
        return context.channel.isWritable
    }

    /// The connection's task was cancelled (the client hung up, or the
    /// server stops without waiting): no more requests are read, and a
    /// write waiting for room fails rather than wait for a client that may
    /// never read. The answer being written may still go out.
    func cancel() {
        // Told from the pipeline's head, before the input close below (which
        // the connection's handler would take for the client's own): a
        // cancel that is not a hang-up is the server stopping.
        context?.pipeline.fireUserInboundEventTriggered(ClientConnection.Cancelled())
        context?.close(mode: .input, promise: nil)
        failWritabilityWait(CancellationError())
    }

    /// Closes the connection once the last answer is written (at once if
    /// there was none): a close before the kernel took the whole answer
    /// would cut it. Where the client may still be sending (a body not read
    /// to its end, input that was not HTTP, a request read ahead, reads
    /// held), it lingers: the output is closed (the client gets the answer,
    /// then an end of stream) and what the client still sends is read and
    /// dropped until it closes too, or the head timeout ends it; a full
    /// close with unread input would reset the connection, and the client
    /// could lose the answer (a 413 or a 400 while it is still sending).
    /// Otherwise the close is a full one, so that an idle kept-alive client
    /// that does not notice an end of stream does not hold a graceful
    /// shutdown for the head timeout.
    ///
    /// - Parameter written: called once, when the last answer is written
    ///   (or its write failed), before any lingering, or after
    ///   ``writtenWaitLimit`` if that comes first: a client that stopped
    ///   reading keeps the write pending until the head timeout closes the
    ///   connection (or for ever, with no request owed), and a shutdown
    ///   waiting for it would wait as long.
    func closeWhenWritten(then written: @escaping () -> Void = {}) {
        closing = true
        // Requests read ahead are never answered now: without this, one
        // kept the head deadline cleared, and a client that neither read the
        // last answer's end nor closed held the connection for good.
        owed = 0
        continueOwed.removeAll()
        if let context { startReadDeadline(context) }
        guard let lastEnd else {
            close()
            written()
            return
        }
        let once = OnceCall(written)
        let limit = lastEnd.eventLoop.assumeIsolated().scheduleTask(in: Self.writtenWaitLimit) { once.call() }
        lastEnd.assumeIsolated().whenComplete { _ in
            limit.cancel()
            self.close()
            once.call()
        }
    }

    /// How long ``closeWhenWritten(then:)`` waits for the last answer's
    /// write before it calls back anyway: far longer than a flush queued
    /// behind a task takes on a loaded loop, far shorter than a stop's
    /// patience.
    static let writtenWaitLimit = TimeAmount.seconds(1)

    /// Resumes `continuation` when the channel takes writes again, or
    /// throws into it when the channel closes first.
    func awaitWritable(_ continuation: CheckedContinuation<Void, any Error>) {
        guard let context, context.channel.isActive else {
            continuation.resume(throwing: ChannelError.ioOnClosedChannel)
            return
        }
        guard !context.channel.isWritable else {
            continuation.resume()
            return
        }
        precondition(writabilityWaiter == nil, "one task writes a connection's responses")
        writabilityWaiter = continuation
        // The client owes reads now: one that took none of the answer for
        // the timeout held its connection (and the upstream's) for good.
        startReadDeadline(context)
    }

    // MARK: Channel events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After a refused head, NIO's decoder may still hand over a request
        // pipelined behind it: the refusal is the connection's last answer.
        guard !lingering, !malformed else { return }
        switch unwrapInboundIn(data) {
        case .head(let nioHead):
            let head: HTTPRequest
            do {
                head = try HTTPRequest(serverHead: nioHead)
            } catch {
                // As when HTTPTypes' codec refused it: the connection
                // closes, after a 400 saying why.
                return errorCaught(context: context, error: error)
            }
            owed += 1
            // HTTP/1.0 has no chunked framing: a body of unknown length ends
            // with the connection (and a 1.0 client ignores `100 Continue`).
            let isHTTP10 = nioHead.version.minor == 0
            encoder.requestRead(head.method, closeDelimited: isHTTP10)
            continueOwed.append(
                !isHTTP10 && head.headerFields.joinedValue(Self.expect)?.lowercased() == "100-continue"
                    && (head.headerFields.joinedValue(.contentLength).flatMap { Int($0) } ?? 0) <= maxBodyBytes)
            if owed == 1 { sendContinueIfOwed() }
            let body = IntakeBody(intake: self)
            self.body = body
            retime(context)
            let bound = NIOLoopBound(body, eventLoop: context.eventLoop)
            let request = Request(head: head, body: RequestBody(asyncSequence: IntakeBody.Sequence(body: bound)))
            deliver(.request(request, bound, closesConnection: Self.closesConnection(nioHead)))
        case .body(let part):
            body?.append(part)
            retime(context)
        case .end:
            body?.finish()
            body = nil
            retime(context)
        }
    }

    /// A part written through the pipeline rather than ``write(_:)`` (none
    /// is): encoded all the same, as nothing nearer the socket takes parts.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        encoder.write(unwrapOutboundIn(data), on: wire, promise: promise)
    }

    func read(context: ChannelHandlerContext) {
        guard mayRead else {
            readHeld = true
            return
        }
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !malformed else { return }
        guard let refusal = RequestHeadRefusal.error(for: error) else {
            context.close(promise: nil)
            return
        }
        // Closing already: the input is dropped anyway.
        guard !lingering else { return }
        malformed = true
        if let body {
            // In a body: its request (handed over at its head) gets the
            // error from its body and is answered; no 400 follows it.
            body.finish(failing: error)
            self.body = nil
            end(failingWritesWith: nil)
        } else {
            deliver(.malformed(refusal))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            end(failingWritesWith: nil)
        } else if event is ChannelShouldQuiesceEvent {
            if owed == 0 {
                closeWhenWritten()
            } else {
                closeWhenAnswered = true
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let waiter = writabilityWaiter {
            writabilityWaiter = nil
            retime(context)
            waiter.resume()
        } else if context.channel.isWritable, closing, !lingering {
            // The last answer's tail is still going out, and the client
            // reads it: its time starts again.
            startReadDeadline(context)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Requests read but not begun are dropped: nobody is left to answer.
        waiting.removeAll()
        end(failingWritesWith: ChannelError.ioOnClosedChannel)
        stopHeadTimer()
        context.fireChannelInactive()
    }

    // MARK: Private

    private func close() {
        guard let context, !lingering else { return }
        guard malformed || body != nil || !waiting.isEmpty || readHeld else {
            context.close(promise: nil)
            return
        }
        lingering = true
        waiting.removeAll()
        // Escalated by NIO to a full close when the input is closed already.
        context.close(mode: .output, promise: nil)
        readIfHeld()
    }

    /// An answer ended: the next request gets its `100 Continue` if it
    /// waits for one; once none is owed, the connection closes if the
    /// server is shutting down, and the next head is timed.
    private func answered(_ context: ChannelHandlerContext) {
        // Not below zero: a 400 for input that was not HTTP answers no head.
        owed = max(owed - 1, 0)
        _ = continueOwed.popFirst()
        sendContinueIfOwed()
        // Also when closing: a client that does not read the answer's end
        // is cut off after the timeout.
        retime(context)
        if owed == 0, closeWhenAnswered { closeWhenWritten() }
    }

    /// Writes `100 Continue` for the first request owed an answer if it
    /// waits for one; the answers before it have all ended.
    private func sendContinueIfOwed() {
        guard continueOwed.first == true else { return }
        continueOwed[continueOwed.startIndex] = false
        encoder.write(.head(HTTPResponse(status: .continue)), on: wire, promise: nil)
        wire.flush()
    }

    /// Times the client while it owes input the connection waits for: a
    /// request head when no answer is owed, or the rest of a body, its
    /// silences each up to the timeout (a body sent a byte a minute, or
    /// never finished, held its connection for good); and while it owes
    /// reads (an answer waits for room, or the connection is closing).
    /// Untimed otherwise, so a long answer read as it comes is never cut.
    private func retime(_ context: ChannelHandlerContext) {
        if owed == 0 || body != nil || closing || writabilityWaiter != nil {
            startHeadDeadline(context)
        } else {
            headDeadline.clear()
        }
    }

    private func startHeadDeadline(_ context: ChannelHandlerContext) {
        guard let due = headDeadline.start(now: .now()) else { return }
        scheduleHeadTimer(context, at: due)
    }

    /// Starts the client's time to read what waits for it (``ClientReadProgress``).
    private func startReadDeadline(_ context: ChannelHandlerContext) {
        readProgress.mark(context)
        startHeadDeadline(context)
    }

    /// Whether the client read some of what waits for it since its time
    /// started; if so, its time starts again from what is left.
    private func readSinceTimed(_ context: ChannelHandlerContext) -> Bool {
        guard writabilityWaiter != nil || (closing && !lingering) else { return false }
        return readProgress.advanced(context)
    }

    private func stopHeadTimer() {
        headTimer?.cancel()
        headTimer = nil
    }

    private func scheduleHeadTimer(_ context: ChannelHandlerContext, at due: NIODeadline) {
        headTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.headTimer = nil
            switch self.headDeadline.timerFired(now: .now()) {
            case .close
            where self.readHeld && !self.closing && !self.malformed && self.writabilityWaiter == nil:
                // The proxy holds the reads (the request waits for the
                // task, or its body for room), not the client.
                self.startHeadDeadline(context)
            case .close where self.readSinceTimed(context):
                self.startHeadDeadline(context)
            case .close:
                // Told first, so the exchange under way (a body that stopped
                // coming, an answer not read) is not taken for a hang-up.
                context.pipeline.fireUserInboundEventTriggered(
                    ClientConnection.TimedOut(timeout: .nanoseconds(self.headDeadline.timeout.nanoseconds)))
                context.close(promise: nil)
            case .reschedule(let due): self.scheduleHeadTimer(context, at: due)
            case .lapse: break
            }
        }
    }

    private func deliver(_ event: Event) {
        guard !ended else { return }
        if let taker {
            self.taker = nil
            taker.resume(returning: event)
        } else {
            waiting.append(event)
        }
    }

    /// No event follows ``Event/ended``; a body still coming and a write
    /// waiting for room fail with `error`, if given.
    private func end(failingWritesWith error: (any Error)?) {
        if !ended {
            ended = true
            if let taker {
                self.taker = nil
                taker.resume(returning: .ended)
            }
        }
        body?.finish(failing: error ?? ChannelError.inputClosed)
        body = nil
        if let error { failWritabilityWait(error) }
    }

    private func failWritabilityWait(_ error: any Error) {
        guard let waiter = writabilityWaiter else { return }
        writabilityWaiter = nil
        waiter.resume(throwing: error)
    }

    /// Whether the socket is read now: always while lingering; otherwise
    /// not while a request waits for the task, a body holds ``IntakeBody/highWater``
    /// bytes not taken, or input was not HTTP.
    private var mayRead: Bool {
        lingering || (waiting.isEmpty && body?.isFull != true && !malformed)
    }

    /// Reads again if reads were held and may go on now: an event or an
    /// ``IntakeBody``'s bytes were taken, or a body was dropped.
    func readIfHeld() {
        guard readHeld, mayRead, let context else { return }
        readHeld = false
        // The client's time starts again once it is read again.
        if !lingering { retime(context) }
        context.read()
    }
}
