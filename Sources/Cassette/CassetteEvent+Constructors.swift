import Foundation
import SSE
import Wire

/// One constructor per kind, so every writer spells the fields the same way.
/// Headers are passed already redacted (see ``Redactor``); optional fields
/// that are nil are written as JSON null so every line of a kind has the
/// same keys. The lines are written straight to JSON text (see
/// ``RenderedFields``); a body goes last.
extension CassetteEvent {
    /// The request as the client sent it. `query` is the raw query string
    /// without `?` (nil when there was none); `started`, when given, is
    /// when the exchange began; `body` is stored per ``CassetteBody``.
    public static func clientRequest(
        exchange: String, timeMicros: Int64, method: String, path: String, query: String?,
        headers: RecordedHeaders, started: Date? = nil, body: [UInt8]
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("method", method)
        fields.append("path", path)
        fields.append("query", query)
        fields.append("headers", serialized: headers.json)
        if let started { fields.append("started", CassetteFormat.iso8601(started)) }
        fields.appendBody(body)
        return CassetteEvent(.clientRequest, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// The route chosen: the config entry's id, the upstream base URL (no
    /// secrets), the route's options as recorded by the proxy (a
    /// `RouteOptions` encoded as JSON), the model the client asked for and,
    /// when given, the name the proxy calls the upstream in its error
    /// messages (`upstream_name`).
    public static func route(
        exchange: String, timeMicros: Int64, modelID: String, upstream: String, options: JSONValue,
        requestedModel: String, upstreamName: String? = nil
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("model_id", modelID)
        fields.append("upstream", upstream)
        fields.append("options", options)
        fields.append("requested_model", requestedModel)
        if let upstreamName { fields.append("upstream_name", upstreamName) }
        return CassetteEvent(.route, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// The request sent upstream; pass `url` through ``Redactor/url(_:)``.
    public static func upstreamRequest(
        exchange: String, timeMicros: Int64, method: String, url: String, headers: RecordedHeaders, body: [UInt8]
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("method", method)
        fields.append("url", url)
        fields.append("headers", serialized: headers.json)
        fields.appendBody(body)
        return CassetteEvent(.upstreamRequest, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// The upstream's response head.
    public static func upstreamResponse(
        exchange: String, timeMicros: Int64, status: Int, headers: RecordedHeaders
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("status", Int64(status))
        fields.append("headers", serialized: headers.json)
        return CassetteEvent(.upstreamResponse, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// One upstream chunk, byte-exact, with its arrival time (see
    /// ``CassetteBody/chunkFields(for:)``).
    public static func upstreamChunk(exchange: String, timeMicros: Int64, bytes: [UInt8]) -> CassetteEvent {
        var fields = RenderedFields()
        fields.appendChunk(bytes)
        return CassetteEvent(.upstreamChunk, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// The response head sent to the client, with the body when it was not
    /// streamed (`body` nil for a stream).
    public static func clientResponse(
        exchange: String, timeMicros: Int64, status: Int, headers: RecordedHeaders, body: [UInt8]?
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("status", Int64(status))
        fields.append("headers", serialized: headers.json)
        if let body { fields.appendBody(body) }
        return CassetteEvent(.clientResponse, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// One SSE frame sent to the client: `event` (name or null), then `data`
    /// as a JSON value when the data is a JSON object or array that
    /// re-serializes to the very same text, else `data_text`; so
    /// ``sseEvent`` gives back the frame byte for byte. `id` and `retry`
    /// are added only when the frame had them.
    public static func clientEvent(exchange: String, timeMicros: Int64, event: SSEEvent) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("event", event.event)
        if !fields.appendIfSerialized("data", Array(event.data.utf8)) {
            fields.append("data_text", event.data)
        }
        if let id = event.id { fields.append("id", id) }
        if let retry = event.retry { fields.append("retry", Int64(retry)) }
        return CassetteEvent(.clientEvent, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// A field dropped or changed on purpose during conversion.
    public static func diagnostic(
        exchange: String, timeMicros: Int64, severity: String, path: String, message: String
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("severity", severity)
        fields.append("path", path)
        fields.append("message", message)
        return CassetteEvent(.diagnostic, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// An error and the stage it happened in (e.g. `client_request`,
    /// `route`, `upstream_connect`, `upstream_stream`); `type` is the
    /// Anthropic error type and `status` the HTTP status given to the client.
    public static func error(
        exchange: String, timeMicros: Int64, stage: String, type: String, message: String, status: Int?
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("stage", stage)
        fields.append("type", type)
        fields.append("message", message)
        fields.append("status", status.map(Int64.init))
        return CassetteEvent(.error, exchange: exchange, timeMicros: timeMicros, rendered: fields)
    }

    /// The last line of an exchange. `outcome` is e.g. `ok`, `error`,
    /// `client_cancelled`; `droppedEvents` is
    /// ``CassetteRecorder/takeDroppedSinceLastEnd()``.
    public static func end(
        exchange: String, timeMicros: Int64, outcome: String, status: Int?, durationMicros: Int64,
        ttfbMicros: Int64?, usage: JSONValue?, droppedEvents: Int
    ) -> CassetteEvent {
        var fields = RenderedFields()
        fields.append("outcome", outcome)
        fields.append("status", status.map(Int64.init))
        fields.append("duration_us", durationMicros)
        fields.append("ttfb_us", ttfbMicros)
        fields.append("usage", usage ?? .null)
        fields.append("dropped_events", Int64(droppedEvents))
        return CassetteEvent(.end, exchange: exchange, timeMicros: timeMicros, rendered: fields)
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
