import NIOCore

/// The body `log-replay send` gives a request whose client stopped sending
/// it (``Exchange/clientStalledInBody``): the bytes recorded, then nothing,
/// held open as that client held it, so the proxy meets the same silence
/// and lets the replaying client go as it let the recorded one go. It ends,
/// with an error, only once `limit` has passed (the request's own timeout)
/// or its task is cancelled.
struct HeldRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let bytes: [UInt8]
    let limit: Duration

    struct Held: Error {}

    struct AsyncIterator: AsyncIteratorProtocol {
        var bytes: [UInt8]?
        let limit: Duration

        mutating func next() async throws -> ByteBuffer? {
            if let bytes, !bytes.isEmpty {
                self.bytes = nil
                return ByteBuffer(bytes: bytes)
            }
            try await Task.sleep(for: limit)
            throw Held()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes, limit: limit) }
}
