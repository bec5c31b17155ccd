import AsyncHTTPClient
import Convert
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import SSE
import Wire

extension UpstreamCall {
    /// A client write failed: the client is gone, so the stream stops and the
    /// upstream request is dropped with it.
    private struct ClientWriteFailed: Error {
        var underlying: any Error
    }

    /// The streamed answer's start, read before the client's head goes:
    /// up to the first upstream event that gives the client a frame
    /// (``StreamRelay/open(retryHints:)``). A stream that opens with the
    /// upstream's error (an overloaded upstream's `event: error` right
    /// after its 200) is thrown here, as an error status is by
    /// ``send(_:body:)``: the client, sent nothing yet, gets it as an HTTP
    /// error in its dialect, with its status and retry hints, and a route's
    /// fallback takes it as it takes that status.
    /// - Parameter sent: the request `response` answers, whose credentials
    ///   an error in the stream must not quote (``QuotedCredentialScrubber``).
    func openStream(_ response: UpstreamResponse, sent: HTTPClientRequest) async throws -> StreamRelay {
        var stream = StreamRelay(call: self, body: response.body, scrubber: credentialScrubber(sent: sent))
        try await stream.open(retryHints: response.headers)
        return stream
    }

    /// The streaming answer: the head goes out now, with the frames
    /// ``openStream(_:sent:)`` read, then each upstream chunk is converted
    /// and written as soon as it arrives (the events it completes; a
    /// partial event waits for its end). Anthropic-format streams go
    /// through the same converter, which passes every event on unchanged
    /// but for the contract's exceptions (the client's model name in
    /// `message_start`, a repeated `message_start` dropped), so a replay
    /// through `log-replay verify` reproduces what the client got.
    func streamingResponse(_ stream: StreamRelay, connection: ClientConnection?) -> Response {
        let jsonArray = request.endpoint.jsonArrayStream
        let headers: HTTPFields = [
            .contentType: jsonArray ? "application/json; charset=utf-8" : "text/event-stream; charset=utf-8",
            .cacheControl: "no-cache",
        ]
        let call = self
        // Taken out by the body, whose copy is then the only one: leaving
        // the upstream body there drops the upstream request at once.
        let reading = NIOLockedValueBox<StreamRelay?>(stream)
        return exchange.streamingResponse(
            headers: headers,
            body: ResponseBody { writer in
                guard var stream = reading.withLockedValue({ $0.take() }) else { return }
                do {
                    if let connection {
                        try await connection.cancellingOnHangup {
                            try await call.relay(&stream, to: &writer, connection: connection)
                        }
                    } else {
                        try await call.relay(&stream, to: &writer, connection: nil)
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
        _ stream: inout StreamRelay, to writer: inout any ResponseBodyWriter, connection: ClientConnection?
    ) async throws {
        exchange.stage = .upstreamStream
        do {
            if let failure = stream.openingFailure { throw failure }
            if let opening = stream.opening.take() { try await write(opening, to: &writer) }
            while let frames = try await stream.nextFrames() { try await write(frames, to: &writer) }
        } catch let error as ClientWriteFailed {
            stream.held.finish(failed: true, scrubber: &stream.scrubber)
            // The access line says "client gone"; this says how.
            logger.debug("client went away mid-stream (\(error.underlying)); upstream request dropped")
            exchange.recordClientGone(status: 200, usage: stream.converter.usage)
            throw error.underlying
        } catch {
            // The event held back was cut: it may have been an error.
            stream.held.finish(failed: true, scrubber: &stream.scrubber)
            switch Task.isCancelled ? ExchangeCancellation(after: error, connection: connection) : nil {
            case .clientGone:
                exchange.recordClientGone(status: 200, usage: stream.converter.usage)
                throw CancellationError()
            case .shutdown where stream.converter.isComplete:
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
                stream.failure = ExchangeCancellation.shutdownError
            case nil:
                let streamError = UpstreamFailure.streamError(
                    for: error, upstream: upstreamName, timeout: entry.timeout, streamed: true)
                if stream.converter.isComplete {
                    // The client's stream was already complete (an upstream
                    // that overstated its length, or dropped the connection
                    // after its last event, or after a Gemini finishReason):
                    // the client is not told, and the exchange did not fail.
                    // A note, so the broken connection is still seen.
                    let note = "after the stream's end: \(streamError.message)"
                    exchange.report([ConversionDiagnostic(severity: .info, path: "", message: note)], logger: logger)
                } else {
                    exchange.recordError(streamError, stage: .upstreamStream)
                    stream.failure = streamError
                }
            }
        }
        let reportedBefore = stream.converter.reportedError != nil
        var tail = SSEFrames()
        stream.converter.finish(error: stream.failure, into: &tail)
        // The last event, read only now (one with no blank line after it,
        // or an answer that came whole), may be the upstream's error: so
        // may the chunks held back with it, and the frames made of it.
        // Chunks still held are scrubbed whatever the event was (an error,
        // or a piece no one reads after the stream's end): only a stream
        // that ends inside an event holds any.
        stream.held.finish(failed: true, scrubber: &stream.scrubber)
        exchange.report(stream.converter.takeDiagnostics(), logger: logger)
        if stream.failure == nil, !reportedBefore, let error = stream.converter.reportedError {
            exchange.recordError(stream.scrubber.scrubbing(error), stage: .upstreamStreamEnd)
        }
        if stream.converter.reportedError != nil { tail = stream.scrubber.scrubbing(tail) }
        // Error lines go in before the client sees the error frame, and the
        // end before the client sees the end of the stream: whoever reads
        // the cassette once their answer is complete finds all of it (after
        // the next flush) rather than a failed stream with no error line.
        let closing = stream.framing.encode(tail, final: true)
        if closing.bytes.readableBytes > 0 { try await writer.write(closing.bytes) }
        if !tail.isEmpty { exchange.recordClientEvents(tail, readAs: closing.events) }
        let failed = stream.failure != nil || stream.converter.reportedError != nil
        exchange.recordEnd(outcome: failed ? .error : .ok, status: 200, usage: stream.converter.usage)
        try await writer.finish(nil)
    }

    /// Frames the relay read, written, then recorded as the client's.
    @concurrent private func write(_ frames: StreamRelay.Frames, to writer: inout any ResponseBodyWriter) async throws {
        try await write(frames.bytes, to: &writer)
        exchange.recordClientEvents(frames.frames, readAs: frames.events)
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
