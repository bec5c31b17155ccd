import Convert
import Foundation
import SSE
import Wire

/// What one line of an exchange records, before it is written: the kind
/// and its own fields (the line's `x` and `t_us` come apart).
///
/// ``writeFields(to:)`` is the one place that spells each kind's fields, in
/// order; the ``CassetteEvent`` constructors render them at once, and
/// ``CassetteRecorder/record(exchange:timeMicros:_:)`` copies the values
/// into its queue and renders them on the writer thread. Headers are passed
/// already redacted (see ``Redactor``). Optional fields that are nil are
/// written as JSON null, so every line of a kind has the same keys; a body
/// goes last.
public enum CassetteLine: Sendable {
    /// The request as the client sent it. `query` is the raw query string
    /// without `?` (nil when there was none); `started`, when given, is
    /// when the exchange began; `body` is stored per ``CassetteBody``.
    case clientRequest(
        method: String, path: String, query: String?, headers: RecordedHeaders, started: Date?, body: [UInt8])
    /// The route chosen: the config entry's id, the upstream base URL (no
    /// secrets), the route's options as recorded by the proxy (a
    /// `RouteOptions` encoded as JSON), the model the client asked for and,
    /// when given, the name the proxy calls the upstream in its error
    /// messages (`upstream_name`); then, only when they apply, the
    /// `router:` scenario that chose the entry (`scenario`) and, on a
    /// fallback attempt, why the previous attempt was given up (`fallback`:
    /// `from`, `status`, `reason`, `waited_ms`).
    case route(
        modelID: String, upstream: String, options: JSONValue, requestedModel: String, upstreamName: String?,
        scenario: String? = nil, fallback: JSONValue? = nil)
    /// The request sent upstream; pass `url` through ``Redactor/url(_:)``.
    case upstreamRequest(method: String, url: String, headers: RecordedHeaders, body: [UInt8])
    /// The upstream's response head.
    case upstreamResponse(status: Int, headers: RecordedHeaders)
    /// One upstream chunk, byte-exact (see ``CassetteBody/chunkFields(for:)``).
    case upstreamChunk(bytes: [UInt8])
    /// The response head sent to the client, with the body when it was not
    /// streamed (`body` nil for a stream).
    case clientResponse(status: Int, headers: RecordedHeaders, body: [UInt8]?)
    /// One SSE frame sent to the client: `event` (name or null), then `data`
    /// as a JSON value when the data is a JSON object or array that
    /// re-serializes to the very same text, else `data_text`; so
    /// ``CassetteEvent/sseEvent`` gives back the frame byte for byte. `id`
    /// and `retry` are added only when the frame had them.
    case clientEvent(SSEEvent)
    /// A field dropped or changed on purpose during conversion.
    case diagnostic(severity: DiagnosticSeverity, path: String, message: String)
    /// An error and the stage it happened in; `type` is the Anthropic error
    /// type and `status` the HTTP status given to the client.
    case error(stage: CassetteStage, type: String, message: String, status: Int?)
    /// The last line of an exchange; `droppedEvents` is
    /// ``CassetteRecorder/takeDroppedSinceLastEnd()``.
    case end(
        outcome: CassetteOutcome, status: Int?, durationMicros: Int64, ttfbMicros: Int64?, usage: JSONValue?,
        droppedEvents: Int)

    /// The line's kind.
    public var kind: CassetteEvent.Kind {
        switch self {
        case .clientRequest: .clientRequest
        case .route: .route
        case .upstreamRequest: .upstreamRequest
        case .upstreamResponse: .upstreamResponse
        case .upstreamChunk: .upstreamChunk
        case .clientResponse: .clientResponse
        case .clientEvent: .clientEvent
        case .diagnostic: .diagnostic
        case .error: .error
        case .end: .end
        }
    }

    /// Hands the kind's fields to `fields`, in the order they are written.
    func writeFields<Fields: CassetteFieldWriter>(to fields: inout Fields) {
        switch self {
        case .clientRequest(let method, let path, let query, let headers, let started, let body):
            fields.append("method", method)
            fields.append("path", path)
            fields.append("query", query)
            fields.append("headers", serialized: headers.json)
            if let started { fields.append("started", date: started) }
            fields.appendBody(body)
        case .route(
            let modelID, let upstream, let options, let requestedModel, let upstreamName, let scenario, let fallback):
            fields.append("model_id", modelID)
            fields.append("upstream", upstream)
            fields.append("options", options)
            fields.append("requested_model", requestedModel)
            if let upstreamName { fields.append("upstream_name", upstreamName) }
            if let scenario { fields.append("scenario", scenario) }
            if let fallback { fields.append("fallback", fallback) }
        case .upstreamRequest(let method, let url, let headers, let body):
            fields.append("method", method)
            fields.append("url", url)
            fields.append("headers", serialized: headers.json)
            fields.appendBody(body)
        case .upstreamResponse(let status, let headers):
            fields.append("status", Int64(status))
            fields.append("headers", serialized: headers.json)
        case .upstreamChunk(let bytes):
            fields.appendChunk(bytes)
        case .clientResponse(let status, let headers, let body):
            fields.append("status", Int64(status))
            fields.append("headers", serialized: headers.json)
            if let body { fields.appendBody(body) }
        case .clientEvent(let event):
            event.withFields { Self.writeClientEventFields($0, to: &fields) }
        case .diagnostic(let severity, let path, let message):
            fields.append("severity", severity.rawValue)
            fields.append("path", path)
            fields.append("message", message)
        case .error(let stage, let type, let message, let status):
            fields.append("stage", stage.rawValue)
            fields.append("type", type)
            fields.append("message", message)
            fields.append("status", status.map(Int64.init))
        case .end(let outcome, let status, let durationMicros, let ttfbMicros, let usage, let droppedEvents):
            fields.append("outcome", outcome.rawValue)
            fields.append("status", status.map(Int64.init))
            fields.append("duration_us", durationMicros)
            fields.append("ttfb_us", ttfbMicros)
            fields.append("usage", usage ?? .null)
            fields.append("dropped_events", Int64(droppedEvents))
        }
    }

    /// A `client_event` line's fields, from the frame's bytes: for an
    /// ``SSEEvent`` and for each frame the recorder's writer thread reads
    /// out of queued ``SSEFrames``.
    static func writeClientEventFields<Fields: CassetteFieldWriter>(
        _ frame: SSEFrameFields, to fields: inout Fields
    ) {
        if let name = frame.name { fields.append("event", utf8: name) } else { fields.appendNull("event") }
        fields.appendEventData(frame.data)
        if let id = frame.id { fields.append("id", id) }
        if let retry = frame.retry { fields.append("retry", Int64(retry)) }
    }
}
