import AsyncHTTPClient
import Convert
import NIOCore
import SSE

extension UpstreamCall {
    /// Reads a streamed answer up to its first event, before the client's
    /// head is sent, and throws that event's error when it is one a
    /// `fallback:` entry is tried for (``UpstreamFallbackPolicy/triggers(_:)``):
    /// some upstreams answer 200 and then say they are overloaded (Anthropic's
    /// `event: error`), rate limited or failing (OpenRouter's first
    /// `data: {"error":...}`) in the stream. Once the head is out nothing can
    /// be retried, so a route with a fallback left waits for that event.
    ///
    /// What was read is put back into the body, so the stream is relayed as
    /// it would have been; an error that is the client's (an
    /// `invalid_request_error`) is relayed too, as on any route. When the
    /// attempt is given up, the chunks read are recorded, scrubbed of the
    /// credentials `sent` carried (as an error status's body is), and so is
    /// the error thrown.
    func giveUpOnFirstEventError(_ response: UpstreamResponse, sent: HTTPClientRequest) async throws {
        // An answer that comes whole is read only at its end: it has no first event to wait for.
        guard options.upstreamStreams,
            !UpstreamStreamConverter.answersWhole(
                contentType: response.headers.first(name: "content-type"), dialect: options.upstreamDialect)
        else { return }
        var converter = request.streamConverter(route: options, createdAt: exchange.createdAt)
        var read: [ByteBuffer] = []
        // The route's bounds hold while the head waits too: an upstream that
        // sends only comments (OpenRouter's `: PROCESSING`) keeps its read
        // timeout from firing, and would hold the client for ever.
        var limits = StreamLimits(
            upstream: upstreamName, maxDuration: entry.maxStreamDuration, maxEventBytes: maxStreamEventBytes)
        var opening = AnswerOpening()
        exchange.stage = .upstreamStream
        // The attempt given up: what was read recorded, scrubbed, and the error to throw.
        func givingUp(_ error: APIError) -> APIError {
            var scrubber = credentialScrubber(sent: sent)
            var held = HeldUpstreamChunks(for: exchange)
            for chunk in read { held.hold(chunk) }
            held.finish(failed: true, scrubber: &scrubber)
            return scrubber.scrubbing(error)
        }
        do {
            while true {
                guard let chunk = try await response.body.readAhead() else {
                    // Ended before its first event: what the relay would say
                    // of it (an empty stream, a last error with no blank line).
                    var frames = SSEFrames()
                    converter.finish(error: nil, into: &frames)
                    if let error = converter.reportedError, UpstreamFallbackPolicy.triggers(error) {
                        throw givingUp(error)
                    }
                    break
                }
                read.append(chunk)
                if let error = limits.check(chunkBytes: chunk.readableBytes) { throw givingUp(error) }
                // Line by line: a chunk can hold a real first event and an
                // error after it, which is the client's like any other. An
                // event that only opens the answer (``AnswerOpening``) is not
                // one: Anthropic says it is overloaded after `message_start`.
                var frames = SSEFrames()
                let bytes = chunk.readableBytesView
                var start = bytes.startIndex
                while start < bytes.endIndex, frames.isEmpty, converter.reportedError == nil {
                    let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.endIndex
                    let line = bytes[start..<end]
                    opening.read(line, dialect: options.upstreamDialect)
                    converter.receive(line, into: &frames)
                    if !frames.isEmpty, opening.endedEventOpened { frames = SSEFrames() }
                    start = end
                }
                if let error = converter.reportedError {
                    guard UpstreamFallbackPolicy.triggers(error) else { break }
                    throw givingUp(error)
                }
                if !frames.isEmpty { break }
            }
        } catch let error as APIError {
            throw error
        } catch let error where error is CancellationError || Task.isCancelled {
            // The client left: what was read is in the cassette, as the relay would have recorded it.
            _ = givingUp(APIError(status: 499, type: "api_error", message: "cancelled"))
            throw error
        } catch {
            // The upstream failed (a timeout, a reset) before its first
            // event: nothing reached the client, so the next entry may try.
            let failure = UpstreamFailure.streamError(
                for: error, upstream: upstreamName, timeout: entry.timeout, streamed: true)
            if UpstreamFallbackPolicy.triggers(failure) { throw givingUp(failure) }
            response.body.putBack(read, failure: error)
            return
        }
        response.body.putBack(read, failure: nil)
    }
}
