import Hummingbird
import NIOCore

/// One request's body as it arrives, between the ``RequestIntakeHandler``
/// that reads it and the endpoint that collects it. Lives on the channel's
/// event loop; the endpoint reads it through ``Sequence``.
///
/// The bytes read and not yet taken are kept in one buffer (a body that
/// arrives with its head, as a small one does, is taken whole in one
/// call, without waiting); past ``highWater`` of them the handler stops
/// reading the socket until they are taken. Once its request is answered,
/// the rest of the body is read and dropped (``discard()``), so that the
/// next request can be read.
final class IntakeBody {
    /// Bytes buffered before the socket is left unread.
    static let highWater = 256 << 10

    private let intake: RequestIntakeHandler
    private var buffered: ByteBuffer?
    private var reader: CheckedContinuation<ByteBuffer?, any Error>?
    private(set) var isFinished = false
    private(set) var isDiscarded = false
    private var failure: (any Error)?

    init(intake: RequestIntakeHandler) {
        self.intake = intake
    }

    /// Whether the handler should stop reading until bytes are taken.
    var isFull: Bool {
        !isDiscarded && (buffered?.readableBytes ?? 0) >= Self.highWater
    }

    // MARK: From the handler

    func append(_ part: ByteBuffer) {
        guard !isDiscarded, !isFinished else { return }
        if let reader {
            self.reader = nil
            reader.resume(returning: part)
        } else if buffered == nil {
            buffered = part
        } else {
            buffered!.writeImmutableBuffer(part)
        }
    }

    /// The body ended; `error`, if the channel failed or closed first.
    func finish(failing error: (any Error)? = nil) {
        guard !isFinished else { return }
        isFinished = true
        failure = error
        guard let reader else { return }
        self.reader = nil
        if let error {
            reader.resume(throwing: error)
        } else {
            reader.resume(returning: nil)
        }
    }

    // MARK: From the connection's task

    /// Drops what is buffered and what is still to come.
    func discard() {
        isDiscarded = true
        buffered = nil
        intake.readIfHeld()
    }

    /// The next bytes now, if any are buffered or the body is over;
    /// `.none` when the caller must wait with ``awaitNext(_:)``.
    func takeNext() throws -> ByteBuffer?? {
        if let bytes = buffered {
            buffered = nil
            intake.readIfHeld()
            return .some(bytes)
        }
        guard isFinished else { return .none }
        if let failure { throw failure }
        return .some(nil)
    }

    func awaitNext(_ continuation: CheckedContinuation<ByteBuffer?, any Error>) {
        precondition(reader == nil, "one reader at a time")
        reader = continuation
    }

    /// The body for Hummingbird's `RequestBody`, and as
    /// ``ProxyRequestContext/intakeBody``, which ``ClientRequestBody`` reads.
    struct Sequence: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let body: NIOLoopBound<IntakeBody>

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: body) }

        struct AsyncIterator: PartIterator {
            let body: NIOLoopBound<IntakeBody>

            func nextNow() throws -> ByteBuffer?? {
                guard body.eventLoop.inEventLoop else { return nil }
                return try body.value.takeNext()
            }

            /// What `for try await` calls: the standard library's default
            /// calls ``next()`` from another isolation, two executor switches
            /// a part.
            mutating func next(isolation actor: isolated (any Actor)?) async throws -> ByteBuffer? {
                try await next()
            }

            mutating func next() async throws -> ByteBuffer? {
                if let now = try nextNow() { return now }
                let loop = body.eventLoop
                let body = self.body
                return try await withCheckedThrowingContinuation { continuation in
                    loop.runOnLoop {
                        do {
                            if let bytes = try body.value.takeNext() {
                                continuation.resume(returning: bytes)
                            } else {
                                body.value.awaitNext(continuation)
                            }
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                }
            }
        }
    }
}
