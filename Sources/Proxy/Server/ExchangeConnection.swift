import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// What an ``ExchangeChannel``'s task calls on its connection: the next
/// request, and the parts of each answer. On the channel's event loop (the
/// task's preferred executor) each is a call on the
/// ``RequestIntakeHandler``; from anywhere else it hops there first.
/// It is also the channel's value for Hummingbird's server
/// (``ExchangeChannel/setup(channel:logger:)`` makes it).
struct ExchangeConnection: ServerChildChannelValue {
    let channel: any Channel
    let intake: NIOLoopBound<RequestIntakeHandler>

    /// The next request, or why there is none.
    func nextEvent() async -> RequestIntakeHandler.Event {
        if channel.eventLoop.inEventLoop, let event = intake.value.takeEvent() {
            return event
        }
        return await withCheckedContinuation { continuation in
            channel.eventLoop.runOnLoop {
                let intake = intake.value
                if let event = intake.takeEvent() {
                    continuation.resume(returning: event)
                } else {
                    intake.awaitEvent(continuation)
                }
            }
        }
    }

    /// See ``RequestIntakeHandler/cancel()``. Later, not inside the
    /// canceller's call: a hang-up cancels the connection's task from the
    /// channel's own close, under a lock.
    func cancel() {
        channel.eventLoop.execute { intake.value.cancel() }
    }

    /// Closes the connection once the last answer is written, and returns
    /// when it is (or after a second, for a client that stopped reading;
    /// see ``RequestIntakeHandler/closeWhenWritten(then:)``): a written part
    /// only waits in the channel for the flush queued behind the task
    /// (``FlushCoalescingHandler``), and the process ends soon after the
    /// server's connection tasks have returned (SIGQUIT cancels them, each
    /// telling its client the proxy is shutting down), so a task that
    /// returned first could take its client's answer with it.
    func closeWhenWritten() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            channel.eventLoop.runOnLoop { intake.value.closeWhenWritten { continuation.resume() } }
        }
    }

    /// The request whose body this is has its answer: the rest of the body
    /// is read and dropped.
    func answered(_ body: NIOLoopBound<IntakeBody>) {
        channel.eventLoop.runOnLoop { body.value.discard() }
    }

    /// Writes `head` at once (a stream's client sees it before the first
    /// event), then `body` as it comes; returns when the last part is
    /// handed to the channel. Throws when the channel closed.
    func write(response head: HTTPResponse, body: consuming ResponseBody) async throws {
        try await write(.head(head))
        try await body.write(BodyWriter(connection: self))
    }

    /// Writes one part, then waits while the channel has no room for more.
    fileprivate func write(_ part: HTTPResponsePart) async throws {
        if channel.eventLoop.inEventLoop {
            guard try !intake.value.write(part) else { return }
        } else {
            let writable = try await channel.eventLoop.submit { try intake.value.write(part) }.get()
            guard !writable else { return }
        }
        try await withCheckedThrowingContinuation { continuation in
            channel.eventLoop.runOnLoop { intake.value.awaitWritable(continuation) }
        }
    }

    private struct BodyWriter: ResponseBodyWriter {
        let connection: ExchangeConnection

        mutating func write(_ buffer: ByteBuffer) async throws {
            try await connection.write(.body(buffer))
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            try await connection.write(.end(trailingHeaders))
        }
    }
}
