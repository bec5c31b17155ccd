import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

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
/// waiting, and a response part is a pipeline write.
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
    typealias InboundIn = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What the connection's task gets next.
    enum Event {
        /// A request, and its body as the handler reads it: ``IntakeBody/discard()``
        /// it once the request is answered.
        case request(Request, NIOLoopBound<IntakeBody>)
        /// The client sent something that is not HTTP/1.1: answer 400 and
        /// close.
        case malformed
        /// No more requests: the client closed or half-closed, or the
        /// channel failed.
        case ended
    }

    /// The body of the request being read: from its head to its end.
    private var body: IntakeBody?
    private var waiting = CircularBuffer<Event>(initialCapacity: 2)
    private var taker: CheckedContinuation<Event, Never>?
    private var writabilityWaiter: CheckedContinuation<Void, any Error>?
    private var readHeld = false
    private var ended = false
    private var context: ChannelHandlerContext?

    private static let expect = HTTPField.Name("expect")!
    private let maxBodyBytes: Int
    /// Heads read less answers ended.
    private var owed = 0
    private var closeWhenAnswered = false
    private var headDeadline: RequestHeadDeadline
    private var headTimer: Scheduled<Void>?

    /// `maxBodyBytes` decides whether a head expecting `100 Continue` gets
    /// it; `headTimeout` is how long a client has to send a head in full.
    init(maxBodyBytes: Int, headTimeout: Duration) {
        self.maxBodyBytes = maxBodyBytes
        headDeadline = RequestHeadDeadline(timeout: headTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startHeadDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        end(failingWritesWith: ChannelError.ioOnClosedChannel)
        headTimer?.cancel()
        headTimer = nil
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
        guard let event = waiting.popFirst() else { return nil }
        releaseHeldRead()
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
        context.write(wrapOutboundOut(part), promise: nil)
        context.flush()
        if case .end = part { answered(context) }
        return context.channel.isWritable
    }

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
    }

    // MARK: Channel events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            owed += 1
            headDeadline.clear()
            if head.headerFields.joinedValue(Self.expect)?.lowercased() == "100-continue",
                (head.headerFields.joinedValue(.contentLength).flatMap { Int($0) } ?? 0) <= maxBodyBytes
            {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
            let body = IntakeBody(intake: self)
            self.body = body
            let bound = NIOLoopBound(body, eventLoop: context.eventLoop)
            let request = Request(head: head, body: RequestBody(asyncSequence: IntakeBody.Sequence(body: bound)))
            deliver(.request(request, bound))
        case .body(let part):
            body?.append(part)
        case .end:
            body?.finish()
            body = nil
        }
    }

    func read(context: ChannelHandlerContext) {
        guard waiting.isEmpty, body?.isFull != true else {
            readHeld = true
            return
        }
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            body?.finish(failing: error)
            body = nil
            deliver(.malformed)
        } else {
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            end(failingWritesWith: nil)
        } else if event is ChannelShouldQuiesceEvent {
            if owed == 0 {
                context.close(promise: nil)
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
            waiter.resume()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Requests read but not begun are dropped: nobody is left to answer.
        waiting.removeAll()
        end(failingWritesWith: ChannelError.ioOnClosedChannel)
        headTimer?.cancel()
        headTimer = nil
        context.fireChannelInactive()
    }

    // MARK: Private

    /// An answer ended: once none is owed, the connection closes if the
    /// server is shutting down, or the next head is timed.
    private func answered(_ context: ChannelHandlerContext) {
        // Not below zero: a 400 for input that was not HTTP answers no head.
        owed = max(owed - 1, 0)
        guard owed == 0 else { return }
        if closeWhenAnswered {
            context.close(promise: nil)
        } else {
            startHeadDeadline(context)
        }
    }

    private func startHeadDeadline(_ context: ChannelHandlerContext) {
        guard let due = headDeadline.start(now: .now()) else { return }
        scheduleHeadTimer(context, at: due)
    }

    private func scheduleHeadTimer(_ context: ChannelHandlerContext, at due: NIODeadline) {
        headTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.headTimer = nil
            switch self.headDeadline.timerFired(now: .now()) {
            case .close: context.close(promise: nil)
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
        deliver(.ended)
        ended = true
        body?.finish(failing: error ?? ChannelError.inputClosed)
        body = nil
        if let error, let waiter = writabilityWaiter {
            writabilityWaiter = nil
            waiter.resume(throwing: error)
        }
    }

    /// An ``IntakeBody``'s bytes were taken or dropped: read again, if
    /// reads were held for them.
    func bodyTaken() {
        releaseHeldRead()
    }

    private func releaseHeldRead() {
        guard readHeld, waiting.isEmpty, body?.isFull != true, let context else { return }
        readHeld = false
        context.read()
    }
}
