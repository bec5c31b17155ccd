import NIOCore

/// An iterator over a body's parts that can say, without waiting, whether
/// a part (or the end) is already there.
///
/// A loop that reads a whole body (``ClientRequestBody``, the upstream
/// answer's `collect`) takes what is there without an `await`: every await
/// in a request's task costs an executor switch (~260 instructions with the
/// connection's event loop as the task's preferred executor) even when
/// nothing waits, and a small body is there in full by the time it is read.
///
/// Each conformer also answers `next(isolation:)` by calling its own
/// `next()`: a default here could only call the standard library's
/// requirement, which runs off the caller's executor (it would send the
/// iterator, and switch twice a part, as the standard library's default does).
protocol PartIterator: AsyncIteratorProtocol<ByteBuffer, any Error> {
    /// `.some(part)`, or `.some(nil)` at the end, when known now; `nil`
    /// when the caller must wait in `next()`.
    mutating func nextNow() throws -> ByteBuffer??
}

extension PartIterator {
    /// The next part, waiting only when none is there yet.
    @inline(__always)
    mutating func nextPart() async throws -> ByteBuffer? {
        if let now = try nextNow() { return now }
        return try await next(isolation: #isolation)
    }
}
