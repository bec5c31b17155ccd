import AsyncHTTPClient
import Cassette
import Convert
import Foundation
import HTTPTypes
import NIOCore
import SSE
import Wire

/// The cassette lines of an exchange. Each takes its time now and builds its
/// line on the recorder's writer thread (checking and escaping bodies,
/// base64, blobs), so a request pays for little more than a queue push.
///
/// Headers are redacted, and bodies and chunks copied out of their NIO
/// buffers, here on the caller's thread, though: a closure holding an
/// `HTTPFields` or a `ByteBuffer` made the writer thread the one to free
/// their storage (many small allocations made on an event loop), and that
/// cost more CPU per exchange than doing the work here (measured with
/// `tools/bench.sh`'s CPU column and per-thread CPU time).
extension Exchange {
    /// The client's request, once per exchange (see ``claimClientRequest()``).
    func recordClientRequest(method: String, path: String, query: String?, headers: HTTPFields, body: ByteBuffer) {
        guard recording != nil, claimClientRequest() else { return }
        recordClientRequestUnclaimed(method: method, path: path, query: query, headers: headers, body: body)
    }

    /// The client's request, for a caller that has claimed it already.
    func recordClientRequestUnclaimed(
        method: String, path: String, query: String?, headers: HTTPFields, body: ByteBuffer
    ) {
        guard let recording else { return }
        let (id, time, started) = (self.id, elapsedMicros, startedAtDate)
        let headers = recording.redactor.headers(headers.map { ($0.name.rawName, $0.value) })
        let body = Array(body.readableBytesView)
        recording.recorder.record {
            .clientRequest(
                exchange: id, timeMicros: time, method: method, path: path,
                query: query.map { Self.redactedQuery($0, recording.redactor) },
                headers: headers, started: started, body: body)
        }
    }

    /// The route line, with `upstream_name`: the very name the proxy gives
    /// ``UpstreamErrorMapper`` (see ``ModelEntry/upstreamName``), so a replay
    /// reproduces its error messages without rebuilding it.
    func recordRoute(entry: ModelEntry, options: RouteOptions, requestedModel: String) {
        guard let recording else { return }
        let (id, time) = (self.id, elapsedMicros)
        recording.recorder.record {
            .route(
                exchange: id, timeMicros: time, modelID: entry.modelID, upstream: recording.redactor.url(entry.apiBase),
                options: options.json, requestedModel: requestedModel, upstreamName: entry.upstreamName)
        }
    }

    func recordDiagnostics(_ diagnostics: [ConversionDiagnostic]) {
        guard let recording, !diagnostics.isEmpty else { return }
        let (id, time) = (self.id, elapsedMicros)
        for diagnostic in diagnostics {
            recording.recorder.record(
                .diagnostic(
                    exchange: id, timeMicros: time, severity: diagnostic.severity, path: diagnostic.path,
                    message: diagnostic.message))
        }
    }

    func recordUpstreamRequest(_ request: HTTPClientRequest, body: [UInt8]) {
        guard let recording else { return }
        let (id, time) = (self.id, elapsedMicros)
        let (method, url) = (request.method.rawValue, request.url)
        let headers = recording.redactor.headers(request.headers.map { ($0.name, $0.value) })
        recording.recorder.record {
            .upstreamRequest(
                exchange: id, timeMicros: time, method: method, url: recording.redactor.url(url), headers: headers,
                body: body)
        }
    }

    func recordUpstreamResponse(_ response: HTTPClientResponse) {
        guard let recording else { return }
        let (id, time) = (self.id, elapsedMicros)
        let status = Int(response.status.code)
        let headers = recording.redactor.headers(response.headers.map { ($0.name, $0.value) })
        recording.recorder.record {
            .upstreamResponse(exchange: id, timeMicros: time, status: status, headers: headers)
        }
    }

    func recordUpstreamChunk(_ chunk: ByteBuffer) {
        guard let recording else { return }
        let (id, time) = (self.id, elapsedMicros)
        let bytes = Array(chunk.readableBytesView)
        recording.recorder.record {
            .upstreamChunk(exchange: id, timeMicros: time, bytes: bytes)
        }
    }

    /// The head sent to the client, with the body when it is not a stream.
    func recordClientResponse(status: Int, headers: HTTPFields, body: ByteBuffer?) {
        guard let recording else { return }
        let (id, time) = (self.id, elapsedMicros)
        let body = body.map { Array($0.readableBytesView) }
        let headers = recording.redactor.headers(headers.map { ($0.name.rawName, $0.value) })
        recording.recorder.record {
            .clientResponse(exchange: id, timeMicros: time, status: status, headers: headers, body: body)
        }
    }

    func recordClientEvents(_ events: [SSEEvent]) {
        guard let recording else { return }
        let (id, time) = (self.id, elapsedMicros)
        recording.recorder.record(lines: events.count) {
            events.map { .clientEvent(exchange: id, timeMicros: time, event: $0) }
        }
    }

    func recordError(_ error: APIError, stage: Stage) {
        guard let recording else { return }
        recording.recorder.record(
            .error(
                exchange: id, timeMicros: elapsedMicros, stage: stage.rawValue, type: error.type,
                message: error.message, status: error.status))
    }

    /// The client went away mid-answer: a `client` error and the `end`
    /// (`client_cancelled`), unless the exchange has ended already.
    func recordClientGone(status: Int, usage: JSONValue?) {
        guard recording != nil, claimEnd() else { return }
        recordError(ExchangeMiddleware.clientGone, stage: .client)
        writeEnd(outcome: "client_cancelled", status: status, usage: usage)
    }

    /// The `end` line, once per exchange.
    func recordEnd(outcome: String, status: Int?, usage: JSONValue?) {
        guard recording != nil, claimEnd() else { return }
        writeEnd(outcome: outcome, status: status, usage: usage)
    }

    private func writeEnd(outcome: String, status: Int?, usage: JSONValue?) {
        guard let recording else { return }
        let now = elapsedMicros
        recording.recorder.record(
            .end(
                exchange: id, timeMicros: now, outcome: outcome, status: status, durationMicros: now,
                ttfbMicros: firstByteMicros, usage: usage, droppedEvents: recording.recorder.takeDroppedSinceLastEnd()))
    }

    /// A query string with secret parameters (`key=...`) fingerprinted.
    private static func redactedQuery(_ query: String, _ redactor: Redactor) -> String {
        let redacted = redactor.url("/?" + query)
        return String(redacted.dropFirst(2))
    }
}
