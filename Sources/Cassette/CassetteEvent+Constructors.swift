import Convert
import Foundation
import SSE
import Wire

/// One constructor per kind the proxy records, for tests and tools that
/// build lines by hand; each is ``CassetteLine``'s case of the same name
/// (which documents the fields), rendered at once.
extension CassetteEvent {
    public static func clientRequest(
        exchange: String, timeMicros: Int64, method: String, path: String, query: String?,
        headers: RecordedHeaders, started: Date? = nil, body: [UInt8]
    ) -> CassetteEvent {
        CassetteEvent(
            exchange: exchange, timeMicros: timeMicros,
            .clientRequest(method: method, path: path, query: query, headers: headers, started: started, body: body))
    }

    public static func route(
        exchange: String, timeMicros: Int64, modelID: String, upstream: String, options: JSONValue,
        requestedModel: String, upstreamName: String? = nil, scenario: String? = nil, fallback: JSONValue? = nil
    ) -> CassetteEvent {
        CassetteEvent(
            exchange: exchange, timeMicros: timeMicros,
            .route(
                modelID: modelID, upstream: upstream, options: options, requestedModel: requestedModel,
                upstreamName: upstreamName, scenario: scenario, fallback: fallback))
    }

    public static func upstreamRequest(
        exchange: String, timeMicros: Int64, method: String, url: String, headers: RecordedHeaders, body: [UInt8]
    ) -> CassetteEvent {
        CassetteEvent(
            exchange: exchange, timeMicros: timeMicros,
            .upstreamRequest(method: method, url: url, headers: headers, body: body))
    }

    public static func upstreamResponse(
        exchange: String, timeMicros: Int64, status: Int, headers: RecordedHeaders
    ) -> CassetteEvent {
        CassetteEvent(exchange: exchange, timeMicros: timeMicros, .upstreamResponse(status: status, headers: headers))
    }

    public static func upstreamChunk(exchange: String, timeMicros: Int64, bytes: [UInt8]) -> CassetteEvent {
        CassetteEvent(exchange: exchange, timeMicros: timeMicros, .upstreamChunk(bytes: bytes))
    }

    public static func clientResponse(
        exchange: String, timeMicros: Int64, status: Int, headers: RecordedHeaders, body: [UInt8]?
    ) -> CassetteEvent {
        CassetteEvent(
            exchange: exchange, timeMicros: timeMicros, .clientResponse(status: status, headers: headers, body: body))
    }

    public static func clientEvent(exchange: String, timeMicros: Int64, event: SSEEvent) -> CassetteEvent {
        CassetteEvent(exchange: exchange, timeMicros: timeMicros, .clientEvent(event))
    }

    public static func diagnostic(
        exchange: String, timeMicros: Int64, severity: DiagnosticSeverity, path: String, message: String
    ) -> CassetteEvent {
        CassetteEvent(
            exchange: exchange, timeMicros: timeMicros, .diagnostic(severity: severity, path: path, message: message))
    }

    public static func error(
        exchange: String, timeMicros: Int64, stage: CassetteStage, type: String, message: String, status: Int?
    ) -> CassetteEvent {
        CassetteEvent(
            exchange: exchange, timeMicros: timeMicros,
            .error(stage: stage, type: type, message: message, status: status))
    }

    public static func end(
        exchange: String, timeMicros: Int64, outcome: CassetteOutcome, status: Int?, durationMicros: Int64,
        ttfbMicros: Int64?, usage: JSONValue?, droppedEvents: Int
    ) -> CassetteEvent {
        CassetteEvent(
            exchange: exchange, timeMicros: timeMicros,
            .end(
                outcome: outcome, status: status, durationMicros: durationMicros, ttfbMicros: ttfbMicros,
                usage: usage, droppedEvents: droppedEvents))
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
