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
        var readBytes = 0
        exchange.stage = .upstreamStream
        do {
            // Past the largest event the relay takes, it fails the stream itself.
            while readBytes <= maxStreamEventBytes, let chunk = try await response.body.readAhead() {
                read.append(chunk)
                readBytes += chunk.readableBytes
                // Line by line: a chunk can hold a real first event and an
                // error after it, which is the client's like any other.
                var frames = SSEFrames()
                let bytes = chunk.readableBytesView
                var start = bytes.startIndex
                while start < bytes.endIndex, frames.isEmpty, converter.reportedError == nil {
                    let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.endIndex
                    converter.receive(bytes[start..<end], into: &frames)
                    start = end
                }
                if let error = converter.reportedError {
                    guard UpstreamFallbackPolicy.triggers(error) else { break }
                    var scrubber = credentialScrubber(sent: sent)
                    var held = HeldUpstreamChunks(for: exchange)
                    for chunk in read { held.hold(chunk) }
                    held.finish(failed: true, scrubber: &scrubber)
                    throw scrubber.scrubbing(error)
                }
                if !frames.isEmpty { break }
            }
        } catch let error where !(error is APIError) && !(error is CancellationError) && !Task.isCancelled {
            // The upstream failed before its first event: the relay reports it as it would have.
            response.body.putBack(read, failure: error)
            return
        }
        response.body.putBack(read, failure: nil)
    }
}
