import AsyncHTTPClient
import Convert
import Hummingbird
import NIOCore
import SSE
import Wire

extension UpstreamCall {
    /// A client write failed: the client is gone, so the stream stops and the
    /// upstream request is dropped with it.
    private struct ClientWriteFailed: Error {
        var underlying: any Error
    }

    /// The streaming answer: the head goes out now, then each upstream chunk
    /// is converted and written as soon as it arrives (the events it
    /// completes; a partial event waits for its end). Anthropic-format
    /// streams go through the same converter, which passes every event on
    /// unchanged but for the contract's exceptions (the client's model name
    /// in `message_start`, a repeated `message_start` dropped), so a replay
    /// through `log-replay verify` reproduces what the client got.
    /// - Parameter sent: the request `response` answers, whose credentials
    ///   an error in the stream must not quote (``QuotedCredentialScrubber``).
    func streamingResponse(
        _ response: UpstreamResponse, sent: HTTPClientRequest, connection: ClientConnection?
    ) -> Response {
        let headers: HTTPFields = [.contentType: request.endpoint.streamContentType, .cacheControl: "no-cache"]
        let call = self
        let scrubber = credentialScrubber(sent: sent)
        let contentType = response.headers.first(name: "content-type")
        return exchange.streamingResponse(
            headers: headers,
            body: ResponseBody { writer in
                do {
                    if let connection {
                        try await connection.cancellingOnHangup {
                            try await call.relay(
                                response.body, contentType: contentType, scrubber: scrubber, to: &writer,
                                connection: connection)
                        }
                    } else {
                        try await call.relay(
                            response.body, contentType: contentType, scrubber: scrubber, to: &writer, connection: nil)
                    }
                } catch {
                    // The client is gone (a write failed); a no-op when
                    // relay recorded it first.
                    call.exchange.recordClientGone(status: 200, usage: nil)
                    throw error
                }
            })
    }

    /// `@concurrent` (with ``write(_:to:)``): Hummingbird's writer, taken
    /// `inout`, goes only to its own methods, which are concurrent.
    @concurrent private func relay(
        _ body: UpstreamBody, contentType: String?, scrubber: QuotedCredentialScrubber,
        to writer: inout any ResponseBodyWriter, connection: ClientConnection?
    ) async throws {
        var scrubber = scrubber
        var held = HeldUpstreamChunks(for: exchange)
        var converter = request.streamConverter(route: options, createdAt: exchange.createdAt)
        // Labelled JSON: read whole if the body is one object, decided on its first byte.
        var labelledJSON = UpstreamStreamConverter.answersWhole(
            contentType: contentType, dialect: options.upstreamDialect)
        var framing = StreamFraming(jsonArray: request.endpoint.jsonArrayStream)
        var failure: APIError?
        exchange.stage = .upstreamStream
        let chunkIntervals = exchange.routeMetrics.map(ProxyMetrics.ChunkIntervals.init(route:))
        var lastChunk = ContinuousClock.now
        var limits = StreamLimits(
            upstream: upstreamName, maxDuration: entry.maxStreamDuration, maxEventBytes: maxStreamEventBytes)
        do {
            for try await chunk in body {
                if labelledJSON, let isObject = UpstreamStreamConverter.startsAnObject(chunk.readableBytesView) {
                    labelledJSON = false
                    if isObject {
                        converter = request.streamConverter(
                            route: options, createdAt: exchange.createdAt, answeredWhole: true)
                        limits.readsWholeAnswer = true
                    }
                }
                if let chunkIntervals {
                    let now = ContinuousClock.now
                    chunkIntervals.record(now - lastChunk)
                    lastChunk = now
                }
                if let exceeded = limits.check(chunkBytes: chunk.readableBytes) {
                    // Leaving the loop drops the upstream request.
                    held.hold(chunk)
                    held.finish(failed: true, scrubber: &scrubber)
                    exchange.recordError(exceeded, stage: .upstreamStream)
                    failure = exceeded
                    break
                }
                let hadError = converter.reportedError != nil
                // Complete, not only ended: a Gemini stream's last chunk
                // (its `finishReason`) ends nothing, and what may follow it
                // (a usage-only chunk, or a line quoting the key) is read
                // for no error.
                let completeBefore = converter.isComplete
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
                // error (an error after `[DONE]` can quote the key, as can
                // a line that is no event), with the chunks held before it
                // (the one that ended the stream, when it ended inside the
                // event after the end). A chunk that ends the stream and
                // holds no event after the end is recorded as it came.
                held.take(
                    chunk, completesEvent: !frames.isEmpty, endsInsideEvent: converter.endsInsideEvent,
                    errorReported: reportedError != nil || completeBefore || converter.receivedAfterEnd,
                    scrubber: &scrubber)
                if reportedError != nil { frames = scrubber.scrubbing(frames) }
                guard !frames.isEmpty else { continue }
                limits.eventsCompleted()
                exchange.report(converter.takeDiagnostics(), logger: logger)
                // An error the upstream reported inside its stream (an error
                // event, or data that is not JSON), which the converter
                // turned into the client's error frame.
                if !hadError, let reportedError {
                    exchange.recordError(scrubber.scrubbing(reportedError), stage: .upstreamStreamEvent)
                }
                let encoded = framing.encode(frames)
                try await write(encoded.bytes, to: &writer)
                exchange.recordClientEvents(frames, readAs: encoded.events)
                // The proxy ended the answer at a stop sequence the upstream
                // was not given: the upstream writes on past it, so nothing
                // more is read, and leaving the loop drops the upstream
                // request (its connection is closed, not reused).
                if converter.endedAtStopSequence { break }
            }
        } catch let error as ClientWriteFailed {
            held.finish(failed: true, scrubber: &scrubber)
            // The access line says "client gone"; this says how.
            logger.debug("client went away mid-stream (\(error.underlying)); upstream request dropped")
            exchange.recordClientGone(
                connection?.timedOutAfter.map { .clientTimedOut(after: $0) } ?? .clientGone, status: 200,
                usage: converter.usage)
            throw error.underlying
        } catch {
            // The event held back was cut: it may have been an error.
            held.finish(failed: true, scrubber: &scrubber)
            let cancellation = Task.isCancelled ? ExchangeCancellation(after: error, connection: connection) : nil
            switch cancellation {
            case .clientGone, .clientTimedOut:
                exchange.recordClientGone(cancellation ?? .clientGone, status: 200, usage: converter.usage)
                throw CancellationError()
            case .shutdown where converter.isComplete:
                // The client's stream was complete (a Gemini finishReason
                // with nothing due after it): it ends as it was.
                exchange.report(
                    [
                        ConversionDiagnostic(
                            severity: .info, path: "", message: "after the stream's end: the proxy is shutting down")
                    ],
                    logger: logger)
            case .shutdown:
                // The client is still there: the stream ends with the
                // shutdown error as its last frame, as for a cut upstream.
                exchange.recordError(ExchangeCancellation.shutdownError, stage: .shutdown)
                failure = ExchangeCancellation.shutdownError
            case nil:
                let streamError = UpstreamFailure.streamError(
                    for: error, upstream: upstreamName, timeout: entry.timeout, streamed: true)
                if converter.isComplete {
                    // The client's stream was already complete (an upstream
                    // that overstated its length, or dropped the connection
                    // after its last event, or after a Gemini finishReason):
                    // the client is not told, and the exchange did not fail.
                    // A note, so the broken connection is still seen.
                    let note = "after the stream's end: \(streamError.message)"
                    exchange.report([ConversionDiagnostic(severity: .info, path: "", message: note)], logger: logger)
                } else {
                    exchange.recordError(streamError, stage: .upstreamStream)
                    failure = streamError
                }
            }
        }
        let reportedBefore = converter.reportedError != nil
        var tail = SSEFrames()
        converter.finish(error: failure, into: &tail)
        // The last event, read only now (one with no blank line after it,
        // or an answer that came whole), may be the upstream's error: so
        // may the chunks held back with it, and the frames made of it.
        // Chunks still held are scrubbed whatever the event was (an error,
        // or a piece no one reads after the stream's end): only a stream
        // that ends inside an event holds any.
        held.finish(failed: true, scrubber: &scrubber)
        exchange.report(converter.takeDiagnostics(), logger: logger)
        if failure == nil, !reportedBefore, let error = converter.reportedError {
            exchange.recordError(scrubber.scrubbing(error), stage: .upstreamStreamEnd)
        }
        if converter.reportedError != nil { tail = scrubber.scrubbing(tail) }
        // Error lines go in before the client sees the error frame, and the
        // end before the client sees the end of the stream: whoever reads
        // the cassette once their answer is complete finds all of it (after
        // the next flush) rather than a failed stream with no error line.
        let closing = framing.encode(tail, final: true)
        if closing.bytes.readableBytes > 0 { try await writer.write(closing.bytes) }
        if !tail.isEmpty { exchange.recordClientEvents(tail, readAs: closing.events) }
        let failed = failure != nil || converter.reportedError != nil
        exchange.recordEnd(outcome: failed ? .error : .ok, status: 200, usage: converter.usage)
        try await writer.finish(nil)
    }

    @concurrent private func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            throw ClientWriteFailed(underlying: error)
        }
        exchange.markFirstByte()
    }
}
