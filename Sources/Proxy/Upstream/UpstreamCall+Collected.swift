import Convert
import Hummingbird
import SSE

extension UpstreamCall {
    /// A streamed Responses answer collected into one response and
    /// converted, for a non-streaming client of an upstream that only
    /// streams (Codex). Every chunk is recorded as it comes.
    func collectedResponse(_ response: UpstreamResponse) async throws -> Response {
        var parser = SSEParser()
        var collector = ResponsesStreamCollector(upstreamName: upstreamName)
        var size = 0
        do {
            for try await chunk in response.body {
                exchange.recordUpstreamChunk(chunk)
                size += chunk.readableBytes
                if size > Self.maxBufferedBody {
                    throw APIError(
                        status: 502, type: "api_error",
                        message: "upstream answer is larger than \(Self.maxBufferedBody >> 20) MiB")
                }
                for event in parser.parse(chunk.readableBytesView) { collector.add(event) }
            }
        } catch let error as APIError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw UpstreamFailure.streamError(for: error, upstream: upstreamName, timeout: entry.timeout)
        }
        for event in parser.finish() { collector.add(event) }
        return try convertedResponse(try collector.response(), body: nil, contentType: nil)
    }
}
