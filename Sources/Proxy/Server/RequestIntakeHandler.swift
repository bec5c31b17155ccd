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
/// than ``IntakeBody/highWater``. Every method runs on the event loop.
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

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        end(failingWritesWith: ChannelError.ioOnClosedChannel)
        self.context = nil
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
        context.fireChannelInactive()
    }

    // MARK: Private

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
