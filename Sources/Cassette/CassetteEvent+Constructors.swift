import SSE
import Wire

/// One constructor per kind, so every writer spells the fields the same way.
/// Headers are passed already redacted (see ``Redactor``); optional fields
/// that are nil are written as JSON null so every line of a kind has the
/// same keys.
extension CassetteEvent {
    /// The request as the client sent it. `query` is the raw query string
    /// without `?` (nil when there was none); `body` is stored per
    /// ``CassetteBody``.
    public static func clientRequest(
        exchange: String, timeMicros: Int64, method: String, path: String, query: String?, headers: JSONObject,
        body: [UInt8]
    ) -> CassetteEvent {
        var event = CassetteEvent(
            .clientRequest, exchange: exchange, timeMicros: timeMicros,
            fields: [
                "method": .string(method), "path": .string(path), "query": query.map(JSONValue.string) ?? .null,
                "headers": .object(headers),
            ])
        event.appendBody(body)
        return event
    }

    /// The route chosen: the config entry's id, the upstream base URL (no
    /// secrets), the route's options as recorded by the proxy (a
    /// `RouteOptions` encoded as JSON) and the model the client asked for.
    public static func route(
        exchange: String, timeMicros: Int64, modelID: String, upstream: String, options: JSONValue,
        requestedModel: String
    ) -> CassetteEvent {
        CassetteEvent(
            .route, exchange: exchange, timeMicros: timeMicros,
            fields: [
                "model_id": .string(modelID), "upstream": .string(upstream), "options": options,
                "requested_model": .string(requestedModel),
            ])
    }

    /// The request sent upstream; pass `url` through ``Redactor/url(_:)``.
    public static func upstreamRequest(
        exchange: String, timeMicros: Int64, method: String, url: String, headers: JSONObject, body: [UInt8]
    ) -> CassetteEvent {
        var event = CassetteEvent(
            .upstreamRequest, exchange: exchange, timeMicros: timeMicros,
            fields: ["method": .string(method), "url": .string(url), "headers": .object(headers)])
        event.appendBody(body)
        return event
    }

    /// The upstream's response head.
    public static func upstreamResponse(
        exchange: String, timeMicros: Int64, status: Int, headers: JSONObject
    ) -> CassetteEvent {
        CassetteEvent(
            .upstreamResponse, exchange: exchange, timeMicros: timeMicros,
            fields: ["status": .int(Int64(status)), "headers": .object(headers)])
    }

    /// One upstream chunk, byte-exact, with its arrival time (see
    /// ``CassetteBody/chunkFields(for:)``).
    public static func upstreamChunk(exchange: String, timeMicros: Int64, bytes: [UInt8]) -> CassetteEvent {
        var event = CassetteEvent(.upstreamChunk, exchange: exchange, timeMicros: timeMicros)
        event.appendChunk(bytes)
        return event
    }

    /// The response head sent to the client, with the body when it was not
    /// streamed (`body` nil for a stream).
    public static func clientResponse(
        exchange: String, timeMicros: Int64, status: Int, headers: JSONObject, body: [UInt8]?
    ) -> CassetteEvent {
        var event = CassetteEvent(
            .clientResponse, exchange: exchange, timeMicros: timeMicros,
            fields: ["status": .int(Int64(status)), "headers": .object(headers)])
        if let body { event.appendBody(body) }
        return event
    }

    /// One SSE frame sent to the client: `event` (name or null), then `data`
    /// as a JSON value when the data is a JSON object or array that
    /// re-serializes to the very same text, else `data_text`; so
    /// ``sseEvent`` gives back the frame byte for byte. `id` and `retry`
    /// are added only when the frame had them.
    public static func clientEvent(exchange: String, timeMicros: Int64, event: SSEEvent) -> CassetteEvent {
        var line = CassetteEvent(
            .clientEvent, exchange: exchange, timeMicros: timeMicros,
            fields: ["event": event.event.map(JSONValue.string) ?? .null])
        if !line.appendIfSerialized(key: "data", text: Array(event.data.utf8)) {
            line.append(key: "data_text", value: .string(event.data))
        }
        if let id = event.id { line.append(key: "id", value: .string(id)) }
        if let retry = event.retry { line.append(key: "retry", value: .int(Int64(retry))) }
        return line
    }

    /// A field dropped or changed on purpose during conversion.
    public static func diagnostic(
        exchange: String, timeMicros: Int64, severity: String, path: String, message: String
    ) -> CassetteEvent {
        CassetteEvent(
            .diagnostic, exchange: exchange, timeMicros: timeMicros,
            fields: ["severity": .string(severity), "path": .string(path), "message": .string(message)])
    }

    /// An error and the stage it happened in (e.g. `client_request`,
    /// `route`, `upstream_connect`, `upstream_stream`); `type` is the
    /// Anthropic error type and `status` the HTTP status given to the client.
    public static func error(
        exchange: String, timeMicros: Int64, stage: String, type: String, message: String, status: Int?
    ) -> CassetteEvent {
        CassetteEvent(
            .error, exchange: exchange, timeMicros: timeMicros,
            fields: [
                "stage": .string(stage), "type": .string(type), "message": .string(message),
                "status": status.map { .int(Int64($0)) } ?? .null,
            ])
    }

    /// The last line of an exchange. `outcome` is e.g. `ok`, `error`,
    /// `client_cancelled`; `droppedEvents` is
    /// ``CassetteRecorder/takeDroppedSinceLastEnd()``.
    public static func end(
        exchange: String, timeMicros: Int64, outcome: String, status: Int?, durationMicros: Int64,
        ttfbMicros: Int64?, usage: JSONValue?, droppedEvents: Int
    ) -> CassetteEvent {
        CassetteEvent(
            .end, exchange: exchange, timeMicros: timeMicros,
            fields: [
                "outcome": .string(outcome), "status": status.map { .int(Int64($0)) } ?? .null,
                "duration_us": .int(durationMicros), "ttfb_us": ttfbMicros.map(JSONValue.int) ?? .null,
                "usage": usage ?? .null, "dropped_events": .int(Int64(droppedEvents)),
            ])
    }
}

/// Reading the stored bytes back out of a line.
extension CassetteEvent {
    /// The exact bytes of an `upstream_chunk` line.
    public var chunkBytes: [UInt8]? { CassetteBody.chunkBytes(from: fields) }

    /// The body bytes of a request or response line (see ``CassetteBody``).
    public var bodyBytes: [UInt8]? { CassetteBody.bytes(from: fields) }

    /// The frame of a `client_event` line, as it was sent.
    public var sseEvent: SSEEvent? {
        guard kind == Kind.clientEvent.rawValue else { return nil }
        let data: String
        if let value = fields["data"] {
            data = value.serializedString()
        } else if let text = fields["data_text"]?.stringValue {
            data = text
        } else {
            return nil
        }
        return SSEEvent(
            event: fields["event"]?.stringValue, data: data, id: fields["id"]?.stringValue,
            retry: fields["retry"]?.intValue)
    }
}
