import Convert
import NIOCore
import NIOHTTP1
import SSE

/// One streamed answer read from the upstream: its body, the converter, the
/// chunks held back for the recording, the limits. Read in two parts:
/// ``open(retryHints:)`` reads up to the first event that gives the client
/// a frame before the client's response head goes, so that a stream that
/// opens with an error can still be answered with an error status; the
/// relay reads the rest as it writes (``nextFrames()``).
struct StreamRelay: Sendable {
    /// Frames made of the chunks read, as the client's framing writes them.
    struct Frames: Sendable {
        var frames: SSEFrames
        var bytes: ByteBuffer
        /// `frames` read back as events when the framing had to (a JSON
        /// array), for the recording.
        var events: [SSEEvent]?
    }

    let call: UpstreamCall
    /// Held while the relay reads: a body that goes gives its stream up.
    private let body: UpstreamBody
    /// Nil once read to its end or given up: leaving it drops the upstream
    /// request then, not when the relay goes (a stream cut at its limit
    /// would otherwise keep the upstream generating while its tail is
    /// written).
    private var chunks: UpstreamBody.AsyncIterator?
    var scrubber: QuotedCredentialScrubber
    var held: HeldUpstreamChunks
    var converter: UpstreamStreamConverter
    var framing: StreamFraming
    /// The failure the stream ends with: a limit passed, a cut upstream.
    var failure: APIError?
    /// The frames ``open(retryHints:)`` read, to be written first.
    var opening: Frames?
    /// What failed before the first event, as a cut or a silent upstream:
    /// the relay takes it, once the head is out, as it takes one later.
    var openingFailure: (any Error)?
    private var limits: StreamLimits
    private let chunkIntervals: ProxyMetrics.ChunkIntervals?
    private var lastChunk = ContinuousClock.now

    init(call: UpstreamCall, body: UpstreamBody, scrubber: QuotedCredentialScrubber) {
        self.call = call
        self.body = body
        chunks = body.makeAsyncIterator()
        self.scrubber = scrubber
        held = HeldUpstreamChunks(for: call.exchange)
        converter = call.request.streamConverter(route: call.options)
        framing = StreamFraming(jsonArray: call.request.endpoint.jsonArrayStream)
        limits = StreamLimits(
            upstream: call.upstreamName, maxDuration: call.entry.maxStreamDuration,
            maxEventBytes: call.maxStreamEventBytes)
        chunkIntervals = call.exchange.routeMetrics.map(ProxyMetrics.ChunkIntervals.init(route:))
    }

    /// Reads up to the first event that gives the client a frame
    /// (``UpstreamStreamConverter/isOpening``); its frames wait in
    /// ``opening``. Only that long: what follows is relayed as it comes.
    /// - Parameter retryHints: the upstream's response head, whose retry
    ///   hints go with an error thrown here, as with an error status's.
    /// - Throws: the upstream's error when that first event was one,
    ///   scrubbed of the key the proxy sent; a cancellation (the client
    ///   hung up, the proxy is stopping), answered as one before the head.
    mutating func open(retryHints: HTTPHeaders) async throws {
        guard converter.isOpening else { return }
        call.exchange.stage = .upstreamStream
        do {
            opening = try await nextFrames()
        } catch {
            if Task.isCancelled {
                held.finish(failed: true, scrubber: &scrubber)
                throw error
            }
            openingFailure = error
            return
        }
        guard let error = converter.openingError else { return }
        chunks = nil
        held.finish(failed: true, scrubber: &scrubber)
        // Recorded, with its status, where the exchange's errors are (or
        // noted by the fallback that takes it): not here.
        call.exchange.stage = .upstreamStreamEvent
        throw scrubber.scrubbing(error).keepingRetryHints(of: retryHints)
    }

    /// The frames of the next chunks, read until one completes an event
    /// that gives the client any: recorded as they go, scrubbed once the
    /// stream has reported an error. Nil at the body's end, or once a
    /// limit is passed (``failure`` then says which).
    mutating func nextFrames() async throws -> Frames? {
        let exchange = call.exchange
        while true {
            let next: ByteBuffer?
            do {
                next = try await chunks?.next()
            } catch {
                chunks = nil
                throw error
            }
            guard let chunk = next else {
                chunks = nil
                return nil
            }
            if let chunkIntervals {
                let now = ContinuousClock.now
                chunkIntervals.record(now - lastChunk)
                lastChunk = now
            }
            if let exceeded = limits.check(chunkBytes: chunk.readableBytes) {
                chunks = nil
                held.hold(chunk)
                held.finish(failed: true, scrubber: &scrubber)
                exchange.recordError(exceeded, stage: .upstreamStream)
                failure = exceeded
                return nil
            }
            let hadError = converter.reportedError != nil
            var frames = SSEFrames()
            converter.receive(chunk.readableBytesView, into: &frames)
            // Recorded once read: a chunk of a stream that has reported
            // an error (and only such a chunk, which is no cost to a
            // stream that goes well) may quote the key the proxy sent,
            // and is scrubbed, as are the frames made of it; so are the
            // chunks held back before it, inside the same event. Only a
            // chunk that completes an event can report one, so others
            // are not asked.
            let reportedError = hadError || !frames.isEmpty ? converter.reportedError : nil
            // What comes after the client's stream ended is not relayed,
            // but recorded: scrubbed, since nothing reads it for an
            // error (an error after `[DONE]` can quote the key), with
            // the chunks held before it (the one that ended the stream,
            // when it ended inside the event after the end). A chunk
            // that ends the stream and holds nothing after the end is
            // recorded as it came.
            held.take(
                chunk, completesEvent: !frames.isEmpty, endsInsideEvent: converter.endsInsideEvent,
                errorReported: reportedError != nil || converter.receivedAfterEnd, scrubber: &scrubber)
            if reportedError != nil { frames = scrubber.scrubbing(frames) }
            guard !frames.isEmpty else { continue }
            limits.eventsCompleted()
            exchange.report(converter.takeDiagnostics(), logger: call.logger)
            // An error the upstream reported inside its stream (an error
            // event, or data that is not JSON), which the converter
            // turned into the client's error frame; one the stream opened
            // with is the answer's, recorded as such.
            if !hadError, let reportedError, converter.openingError == nil {
                exchange.recordError(scrubber.scrubbing(reportedError), stage: .upstreamStreamEvent)
            }
            let encoded = framing.encode(frames)
            return Frames(frames: frames, bytes: encoded.bytes, events: encoded.events)
        }
    }
}
