import NIOCore

/// The recording of an upstream answer's chunks, holding back those that
/// end inside an event until that event is whole.
///
/// An upstream's error can quote the key the proxy sent, and is scrubbed
/// (``QuotedCredentialScrubber``) once it is read; but an error event cut
/// across chunks is read only with its last chunk, after the earlier ones,
/// holding the key or part of it, would have gone to the cassette as they
/// came. A chunk that ends inside an event waits instead (with the time it
/// came, which it is recorded at), and goes with the chunk that ends the
/// event: as it came when the event is no error, else scrubbed together
/// with it, a key cut between them found whole. A stream whose chunks end
/// where its events end (as upstreams flush them) holds nothing back, and
/// one not recorded holds nothing at all.
///
/// An answer read whole (not streamed, or an error status) is held whole,
/// and recorded once it is known whether it is an error.
struct HeldUpstreamChunks {
    private let exchange: Exchange
    private var chunks: [ByteBuffer] = []
    private var times: [Int64] = []

    init(for exchange: Exchange) {
        self.exchange = exchange
    }

    /// Takes `chunk`, just read by the stream's reader (a converter, a
    /// parser), and records what may be recorded.
    /// - Parameters:
    ///   - completesEvent: the reader completed an event with it, so the
    ///     chunks held before it are no longer inside one.
    ///   - endsInsideEvent: the reader is left inside an unfinished event.
    ///   - errorReported: the stream has reported an error (with this chunk
    ///     or before), which is scrubbed wherever it fell in the chunks.
    mutating func take(
        _ chunk: ByteBuffer, completesEvent: Bool, endsInsideEvent: Bool, errorReported: Bool,
        scrubber: inout QuotedCredentialScrubber
    ) {
        guard exchange.recording != nil else { return }
        if errorReported {
            hold(chunk)
            if !endsInsideEvent { record(scrubbedBy: &scrubber) }
        } else if chunks.isEmpty, !endsInsideEvent {
            // Nearly every chunk of a stream: recorded as it came.
            exchange.recordUpstreamChunk(chunk)
        } else {
            if completesEvent || !endsInsideEvent { record() }
            if endsInsideEvent {
                hold(chunk)
            } else {
                exchange.recordUpstreamChunk(chunk)
            }
        }
    }

    /// Keeps `chunk` until ``record()`` or ``record(scrubbedBy:)``.
    mutating func hold(_ chunk: ByteBuffer) {
        guard exchange.recording != nil else { return }
        chunks.append(chunk)
        times.append(exchange.elapsedMicros)
    }

    /// Records the chunks held, as they came.
    mutating func record() {
        for (chunk, time) in zip(chunks, times) { exchange.recordUpstreamChunk(chunk, cameAtMicros: time) }
        chunks.removeAll()
        times.removeAll()
    }

    /// Records the chunks held, scrubbed of the credentials `scrubber` knows.
    mutating func record(scrubbedBy scrubber: inout QuotedCredentialScrubber) {
        guard !chunks.isEmpty else { return }
        chunks = scrubber.scrubbing(chunks)
        // A chunk that held nothing but part of a key is left empty.
        for index in chunks.indices.reversed() where chunks[index].readableBytes == 0 {
            chunks.remove(at: index)
            times.remove(at: index)
        }
        record()
    }

    /// Records the chunks held as the stream ends: scrubbed when it `failed`
    /// (it reported an error, or was cut inside an event that may be one).
    mutating func finish(failed: Bool, scrubber: inout QuotedCredentialScrubber) {
        if failed { record(scrubbedBy: &scrubber) } else { record() }
    }
}
