import AsyncHTTPClient
import Convert
import Hummingbird
import NIOCore
import SSE

extension UpstreamCall {
    /// A client write failed: the client is gone, so the stream stops and the
    /// upstream request is dropped with it.
    private struct ClientWriteFailed: Error {
        var underlying: any Error
    }

    /// The streaming answer: the head goes out now, then each upstream chunk
    /// is converted and written as soon as it arrives. Anthropic-format
    /// upstreams are relayed byte for byte.
    func streamingResponse(_ response: HTTPClientResponse, connection: ClientConnection?) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        let call = self
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                if let connection {
                    try await connection.cancellingOnHangup { try await call.relay(response.body, to: &writer) }
                } else {
                    try await call.relay(response.body, to: &writer)
                }
            })
    }

    private func relay(_ body: HTTPClientResponse.Body, to writer: inout any ResponseBodyWriter) async throws {
        var converter = UpstreamStreamConverter(route: options, requestedModel: requestedModel)
        var passthrough = entry.format == .anthropic ? PassthroughState() : nil
        var failure: APIError?
        do {
            for try await chunk in body {
                let events = converter.receive(chunk.readableBytesView)
                if passthrough != nil {
                    if let complete = passthrough!.completeEvents(appending: chunk) {
                        try await write(complete, to: &writer)
                    }
                } else if !events.isEmpty {
                    try await write(Self.encode(events), to: &writer)
                }
            }
        } catch let error as ClientWriteFailed {
            logger.info("client went away mid-stream (\(error.underlying)); upstream request dropped")
            throw error.underlying
        } catch {
            if Task.isCancelled { throw CancellationError() }
            failure = UpstreamFailure.streamError(for: error, upstream: upstreamName, timeout: entry.timeout)
            logger.warning("\(failure?.message ?? "")")
        }
        var tail = converter.finish(error: failure)
        if let passthrough {
            // Relayed bytes already carried every event; only the proxy's own
            // error frame (for a failed or unfinished stream) is added, and
            // a half event is dropped rather than sent in front of it.
            tail = tail.filter { $0.event == "error" }
            if tail.isEmpty, passthrough.pending.readableBytes > 0 { try await writer.write(passthrough.pending) }
        }
        if !tail.isEmpty { try await writer.write(Self.encode(tail)) }
        try await writer.finish(nil)
    }

    /// Relaying an Anthropic-format stream: bytes held back until their
    /// event is complete.
    private struct PassthroughState {
        var boundary = SSEEventBoundary()
        var pending = ByteBuffer()

        /// The bytes up to the last complete event, including any held back,
        /// or nil when no event has completed yet.
        mutating func completeEvents(appending chunk: ByteBuffer) -> ByteBuffer? {
            guard let end = boundary.lastEventEnd(in: chunk.readableBytesView) else {
                var chunk = chunk
                pending.writeBuffer(&chunk)
                return nil
            }
            if pending.readableBytes == 0 && end == chunk.readableBytes { return chunk }
            var complete = pending
            complete.writeImmutableBuffer(chunk.getSlice(at: chunk.readerIndex, length: end)!)
            pending = chunk.getSlice(at: chunk.readerIndex + end, length: chunk.readableBytes - end)!
            return complete
        }
    }

    private func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            throw ClientWriteFailed(underlying: error)
        }
    }

    static func encode(_ events: [SSEEvent]) -> ByteBuffer {
        var bytes: [UInt8] = []
        for event in events { event.encode(into: &bytes) }
        return ByteBuffer(bytes: bytes)
    }
}
