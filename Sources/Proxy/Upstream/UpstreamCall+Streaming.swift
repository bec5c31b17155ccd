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
    /// is converted and written as soon as it arrives. Anthropic-format
    /// upstreams are relayed byte for byte, whole events at a time.
    func streamingResponse(_ response: HTTPClientResponse, connection: ClientConnection?) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        let call = self
        return exchange.streamingResponse(
            headers: headers,
            body: ResponseBody { writer in
                do {
                    if let connection {
                        try await connection.cancellingOnHangup { try await call.relay(response.body, to: &writer) }
                    } else {
                        try await call.relay(response.body, to: &writer)
                    }
                } catch {
                    // The client is gone (a write failed); `end` is written
                    // once, so this is a no-op when relay got to it first.
                    call.exchange.recordEnd(outcome: "client_cancelled", status: 200, usage: nil)
                    throw error
                }
            })
    }

    private func relay(_ body: HTTPClientResponse.Body, to writer: inout any ResponseBodyWriter) async throws {
        var converter = UpstreamStreamConverter(route: options, requestedModel: requestedModel)
        var passthrough = entry.format == .anthropic ? PassthroughState(recording: exchange.recording != nil) : nil
        var failure: APIError?
        exchange.stage = .upstreamStream
        do {
            for try await chunk in body {
                exchange.recordUpstreamChunk(chunk)
                let events = converter.receive(chunk.readableBytesView)
                if passthrough != nil {
                    if let complete = passthrough!.completeEvents(appending: chunk) {
                        try await write(complete, to: &writer)
                        exchange.recordClientEvents(passthrough!.relayedEvents(complete))
                    }
                } else if !events.isEmpty {
                    try await write(Self.encode(events), to: &writer)
                    exchange.recordClientEvents(events)
                }
            }
        } catch let error as ClientWriteFailed {
            logger.info("client went away mid-stream (\(error.underlying)); upstream request dropped")
            endStream(outcome: "client_cancelled", usage: converter.usage)
            throw error.underlying
        } catch {
            if Task.isCancelled {
                endStream(outcome: "client_cancelled", usage: converter.usage)
                throw CancellationError()
            }
            failure = UpstreamFailure.streamError(for: error, upstream: upstreamName, timeout: entry.timeout)
            logger.warning("\(failure?.message ?? "")")
        }
        var tail = converter.finish(error: failure)
        if var passthrough {
            // Relayed bytes already carried every event; only the proxy's own
            // error frame (for a failed or unfinished stream) is added, and
            // a half event is dropped rather than sent in front of it.
            tail = tail.filter { $0.event == "error" }
            if tail.isEmpty, passthrough.pending.readableBytes > 0 {
                try await writer.write(passthrough.pending)
                exchange.recordClientEvents(passthrough.relayedEvents(passthrough.pending, final: true))
            }
        }
        if !tail.isEmpty {
            try await writer.write(Self.encode(tail))
            exchange.recordClientEvents(tail)
        }
        try await writer.finish(nil)
        if let failure {
            exchange.recordError(failure, stage: .upstreamStream)
        } else if let frame = tail.first(where: { $0.event == "error" }) {
            exchange.recordError(Self.error(in: frame), stage: .upstreamStreamEnd)
        }
        let failed = failure != nil || tail.contains { $0.event == "error" }
        endStream(outcome: failed ? "error" : "ok", usage: converter.usage)
    }

    /// The error an `error` frame reports, for the cassette.
    private static func error(in frame: SSEEvent) -> APIError {
        let body = try? JSONValue(parsing: frame.data)
        return APIError(
            status: 502, type: body?["error"]?["type"]?.stringValue ?? "api_error",
            message: body?["error"]?["message"]?.stringValue ?? frame.data)
    }

    private func endStream(outcome: String, usage: JSONValue?) {
        exchange.recordEnd(outcome: outcome, status: 200, usage: usage)
    }

    private func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            throw ClientWriteFailed(underlying: error)
        }
        exchange.markFirstByte()
    }

    static func encode(_ events: [SSEEvent]) -> ByteBuffer {
        var bytes: [UInt8] = []
        for event in events { event.encode(into: &bytes) }
        return ByteBuffer(bytes: bytes)
    }

    /// Relaying an Anthropic-format stream: bytes held back until their
    /// event is complete, and (when recording) parsed into the frames sent.
    private struct PassthroughState {
        var boundary = SSEEventBoundary()
        var pending = ByteBuffer()
        var parser: SSEParser?

        init(recording: Bool) {
            parser = recording ? SSEParser() : nil
        }

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

        /// The frames in bytes just relayed; empty when not recording.
        mutating func relayedEvents(_ bytes: ByteBuffer, final: Bool = false) -> [SSEEvent] {
            guard var parser else { return [] }
            var events = parser.parse(bytes.readableBytesView)
            if final { events += parser.finish() }
            self.parser = parser
            return events
        }
    }
}
