import AsyncHTTPClient
import Convert
import Hummingbird
import SSE
import Wire

extension UpstreamCall {
    /// A streamed Responses answer collected into one response and
    /// converted, for a non-streaming client of an upstream that only
    /// streams (Codex). Every chunk is recorded as it comes, or with the
    /// end of the event it ends inside (``HeldUpstreamChunks``); once the
    /// stream has reported an error, scrubbed of the credentials in `sent`
    /// (``QuotedCredentialScrubber``), as is the error.
    func collectedResponse(_ response: UpstreamResponse, sent: HTTPClientRequest) async throws -> Response {
        var scrubber = credentialScrubber(sent: sent)
        var held = HeldUpstreamChunks(for: exchange)
        var parser = SSEParser()
        var collector = ResponsesStreamCollector(upstreamName: upstreamName)
        var size = 0
        do {
            for try await chunk in response.body {
                size += chunk.readableBytes
                if size > Self.maxBufferedBody {
                    held.hold(chunk)
                    held.finish(failed: true, scrubber: &scrubber)
                    throw APIError(
                        status: 502, type: "api_error",
                        message: "upstream answer is larger than \(Self.maxBufferedBody >> 20) MiB")
                }
                let events = parser.parse(chunk.readableBytesView)
                for event in events { collector.add(event) }
                held.take(
                    chunk, completesEvent: !events.isEmpty, endsInsideEvent: parser.hasPendingData,
                    errorReported: collector.hasFailed, scrubber: &scrubber)
            }
        } catch let error as APIError {
            throw error
        } catch {
            // The event held back was cut: it may have been an error.
            held.finish(failed: true, scrubber: &scrubber)
            if Task.isCancelled { throw CancellationError() }
            // The client asked for a whole answer: not "mid-stream" to it.
            throw UpstreamFailure.streamError(
                for: error, upstream: upstreamName, timeout: entry.timeout, streamed: false)
        }
        for event in parser.finish() { collector.add(event) }
        let collected: JSONValue
        do {
            collected = try collector.response()
        } catch {
            held.finish(failed: true, scrubber: &scrubber)
            throw scrubber.scrubbing(error)
        }
        held.finish(failed: false, scrubber: &scrubber)
        return try convertedResponse(collected, body: nil, contentType: nil)
    }
}
