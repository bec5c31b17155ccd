import NIOConcurrencyHelpers
import NIOCore

/// An upstream response's body as its reader sees it: chunks as they come,
/// with backpressure. The connection reads from the socket only while the
/// reader has fewer than ``highWatermark`` chunks waiting, so a slow client
/// slows the upstream instead of filling the proxy's memory.
///
/// The connection's handler feeds it through ``source``; the reader
/// iterates it. When the reader stops before the end (its task cancelled,
/// or the body dropped unread), the handler hears of it and closes the
/// connection: the only way to stop an upstream request.
///
/// Our own rather than NIO's `NIOThrowingAsyncSequenceProducer`, which is
/// generic over its element, strategy and delegate: called from this module
/// its code ran unspecialized, with generic metadata lookups at every step
/// (see the commit for the count), and each demand signal hopped through
/// `eventLoop.execute` even from a reader already on the connection's loop.
final class UpstreamBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// Chunks buffered for the reader before the connection stops reading,
    /// and the count under which it reads again.
    static let highWatermark = 8
    static let lowWatermark = 2

    private let storage: Storage

    init(demand: any UpstreamBodyDemand) {
        storage = Storage(demand: demand)
    }

    /// The connection handler's side.
    var source: Source { Source(storage: storage) }

    /// The body dropped unread: a body not yet at its end is given up.
    deinit { storage.stop(cancelling: false) }

    /// Whether a reader waits in `next()` for the connection (for tests).
    var hasWaitingReader: Bool { storage.hasWaitingReader }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reading: Reading(storage: storage)) }

    /// The next chunk, read ahead of the body's iteration
    /// (``UpstreamCall/giveUpOnFirstEventError(_:sent:)``): no iterator is
    /// made, so stopping here does not give the body up.
    func readAhead() async throws -> ByteBuffer? {
        try await storage.next()
    }

    /// Puts `chunks`, read with ``readAhead()``, back in front of what is
    /// buffered, and `failure`, the error reading ended with (told once),
    /// back after them: the iteration reads the body as if none had been
    /// read.
    func putBack(_ chunks: [ByteBuffer], failure: (any Error)?) {
        storage.putBack(chunks, failure: failure)
    }

    struct AsyncIterator: PartIterator {
        fileprivate let reading: Reading

        func nextNow() throws -> ByteBuffer?? {
            try reading.storage.nextNow()
        }

        /// The next chunk; nil at the end. Throws the connection's error,
        /// or `CancellationError` once the reader's task is cancelled.
        func next() async throws -> ByteBuffer? {
            try await reading.storage.next()
        }

        /// What `for try await` calls: the standard library's default
        /// calls ``next()`` from another isolation, two hops between
        /// executors a chunk.
        func next(isolation actor: isolated (any Actor)?) async throws -> ByteBuffer? {
            try await next()
        }
    }

    /// One iteration: a reader that leaves its loop before the end (a
    /// `break`) gives the body up then, as NIO's sequence did, not when the
    /// response holding the body goes (a stream cut at its limit would
    /// otherwise keep the upstream generating while the tail is written).
    fileprivate final class Reading: Sendable {
        let storage: Storage

        init(storage: Storage) { self.storage = storage }

        deinit { storage.stop(cancelling: false) }
    }

    /// Where the connection's handler puts what it reads.
    struct Source: Sendable {
        fileprivate let storage: Storage

        /// What the handler does after a chunk.
        enum YieldResult: Equatable {
            /// Read on.
            case produceMore
            /// Stop reading until the reader asks for more.
            case stopProducing
            /// The reader is gone: the chunk is dropped.
            case dropped
        }

        func yield(_ chunk: ByteBuffer) -> YieldResult { storage.yield(chunk) }

        /// The body ended; chunks still buffered are read first.
        func finish() { storage.finish(nil) }

        /// The body failed: the reader gets `error` after the chunks still buffered.
        func finish(_ error: any Error) { storage.finish(error) }
    }
}

extension UpstreamBody {
    fileprivate final class Storage: Sendable {
        private enum End {
            case open
            case finished
            case failed(any Error)
            /// The reader stopped before the end (cancelled, or gone).
            case readerGone
        }

        private struct State {
            /// At most a few more than ``UpstreamBody/highWatermark``: an
            /// array, whose `removeFirst` shifts a handful, allocates nothing
            /// while chunks go straight to a waiting reader (most bodies).
            var chunks: [ByteBuffer] = []
            var waiter: UnsafeContinuation<ByteBuffer?, any Error>?
            var end = End.open
            /// Whether the connection reads; false once told to stop.
            var reading = true
        }

        private enum Take {
            case chunk(ByteBuffer, askForMore: Bool)
            case end(Result<ByteBuffer?, any Error>)
        }

        private let demand: any UpstreamBodyDemand
        /// A lock ThreadSanitizer sees (see tools/sanitizers.sh): the event
        /// loop and the reader's task contend for it.
        private let state = NIOLockedValueBox(State())

        init(demand: any UpstreamBodyDemand) {
            self.demand = demand
        }

        var hasWaitingReader: Bool { state.withLockedValue { $0.waiter != nil } }

        /// A chunk or the end when one is there, without waiting.
        func nextNow() throws -> ByteBuffer?? {
            // A task cancelled before it asks gets no more chunks, buffered
            // or not (the connection is given up at once).
            if Task.isCancelled { stop(cancelling: true) }
            guard let taken = state.withLockedValue({ Self.take(&$0) }) else { return nil }
            return .some(try deliver(taken))
        }

        func next() async throws -> ByteBuffer? {
            // Most calls find a chunk or the end at once: no continuation,
            // no cancellation handler.
            if let now = try nextNow() { return now }
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { continuation in
                    let taken = state.withLockedValue { state -> Take? in
                        if let taken = Self.take(&state) { return taken }
                        precondition(state.waiter == nil, "an UpstreamBody is read by one reader at a time")
                        // The buffer empties only through `take`, which asks
                        // for more under the low watermark: the connection
                        // reads whenever a reader waits.
                        assert(state.reading, "a reader waits on a connection told to stop")
                        state.waiter = continuation
                        return nil
                    }
                    if let taken { continuation.resume(with: Result { try deliver(taken) }) }
                }
            } onCancel: {
                stop(cancelling: true)
            }
        }

        private func deliver(_ taken: Take) throws -> ByteBuffer? {
            switch taken {
            case .chunk(let chunk, let askForMore):
                if askForMore { demand.produceMore() }
                return chunk
            case .end(let result):
                return try result.get()
            }
        }

        /// A buffered chunk, or the end; nil when the reader must wait.
        private static func take(_ state: inout State) -> Take? {
            if !state.chunks.isEmpty {
                let chunk = state.chunks.removeFirst()
                let askForMore = !state.reading && state.chunks.count < UpstreamBody.lowWatermark
                if askForMore { state.reading = true }
                return .chunk(chunk, askForMore: askForMore)
            }
            switch state.end {
            case .open:
                return nil
            case .finished:
                return .end(.success(nil))
            case .failed(let error):
                // Told once; the body has ended after that.
                state.end = .finished
                return .end(.failure(error))
            case .readerGone:
                return .end(.failure(CancellationError()))
            }
        }

        func putBack(_ chunks: [ByteBuffer], failure: (any Error)?) {
            state.withLockedValue { state in
                state.chunks.insert(contentsOf: chunks, at: 0)
                if let failure, case .finished = state.end { state.end = .failed(failure) }
            }
        }

        func yield(_ chunk: ByteBuffer) -> Source.YieldResult {
            let (waiter, result) = state.withLockedValue {
                state -> (UnsafeContinuation<ByteBuffer?, any Error>?, Source.YieldResult) in
                guard case .open = state.end else { return (nil, .dropped) }
                if let waiter = state.waiter {
                    // A waiting reader means nothing is buffered.
                    state.waiter = nil
                    return (waiter, .produceMore)
                }
                state.chunks.append(chunk)
                guard state.chunks.count >= UpstreamBody.highWatermark else { return (nil, .produceMore) }
                state.reading = false
                return (nil, .stopProducing)
            }
            waiter?.resume(returning: chunk)
            return result
        }

        func finish(_ error: (any Error)?) {
            let waiter = state.withLockedValue { state -> UnsafeContinuation<ByteBuffer?, any Error>? in
                guard case .open = state.end else { return nil }
                state.end = error.map { .failed($0) } ?? .finished
                guard let waiter = state.waiter else { return nil }
                state.waiter = nil
                // Nothing is buffered while a reader waits: it hears the end now.
                if error != nil { state.end = .finished }
                return waiter
            }
            guard let waiter else { return }
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }

        /// The reader stopped: its task was cancelled (a waiting `next`
        /// throws `CancellationError`), or the body is gone. A body still
        /// coming closes the connection.
        func stop(cancelling: Bool) {
            let (waiter, wasOpen) = state.withLockedValue {
                state -> (UnsafeContinuation<ByteBuffer?, any Error>?, Bool) in
                let wasOpen: Bool
                switch state.end {
                case .open: wasOpen = true
                case .finished, .failed: wasOpen = false
                case .readerGone: return (nil, false)
                }
                // After a cancel, later calls throw too, as NIO's sequence did.
                if cancelling || wasOpen {
                    state.end = .readerGone
                    state.chunks.removeAll()
                }
                defer { state.waiter = nil }
                return (state.waiter, wasOpen)
            }
            waiter?.resume(throwing: CancellationError())
            if wasOpen { demand.didTerminate() }
        }
    }
}

/// What a body's reader tells its producer: it wants more (read again), or
/// nothing more (it stopped before the end).
protocol UpstreamBodyDemand: Sendable {
    func produceMore()
    func didTerminate()
}

/// Tells the connection's handler what the body's reader wants: more (read
/// again), or nothing more (close). Called on the connection's event loop
/// (a reader's task runs there) the handler is told at once; from
/// elsewhere, through the loop.
struct UpstreamConnectionDemand: UpstreamBodyDemand {
    let handler: NIOLoopBound<UpstreamConnectionHandler>
    let request: UpstreamConnectionHandler.Request

    func produceMore() {
        let handler = self.handler
        let request = self.request
        if handler.eventLoop.inEventLoop {
            handler.value.readMore(request)
        } else {
            handler.eventLoop.execute { handler.value.readMore(request) }
        }
    }

    func didTerminate() {
        let handler = self.handler
        let request = self.request
        if handler.eventLoop.inEventLoop {
            handler.value.readerGone(request)
        } else {
            handler.eventLoop.execute { handler.value.readerGone(request) }
        }
    }
}
