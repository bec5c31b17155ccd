import AsyncHTTPClient
import Cassette
import Convert
import Foundation
import HTTPTypes
import Logging
import NIOCore
import SSE
import Wire

/// The cassette lines of an exchange. Each takes its time now and queues
/// its values (see ``CassetteRecorder/record(exchange:timeMicros:_:)``);
/// the recorder's writer thread writes the line (checking and escaping
/// bodies, base64, blobs), so a request pays for little more than copying
/// its values into the queue. Headers are redacted here.
extension Exchange {
    /// The client's request, once per exchange (see ``claimClientRequest()``).
    func recordClientRequest(
        method: String, path: String, query: String?, authority: String?, headers: HTTPFields, body: [UInt8]
    ) {
        guard recording != nil, claimClientRequest() else { return }
        recordClientRequestUnclaimed(
            method: method, path: path, query: query, authority: authority, headers: headers, body: body)
    }

    /// The client's request, for a caller that has claimed it already.
    /// `body` is the array the request is parsed from, where there is one:
    /// the recorder keeps it without a copy.
    ///
    /// `authority` (HTTP/1.1's `Host`, which HTTPTypes keeps as the
    /// `:authority` pseudo-header, out of `headers`) is recorded as a `host`
    /// header, first: `log-replay`'s exports point at it by default.
    func recordClientRequestUnclaimed(
        method: String, path: String, query: String?, authority: String?, headers: HTTPFields, body: [UInt8]
    ) {
        guard let recording else { return }
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(headers.count + 1)
        if let authority { fields.append(("host", authority)) }
        for field in headers { fields.append((field.name.rawName, field.value)) }
        record(
            .clientRequest(
                method: method, path: path, query: query.map { Self.redactedQuery($0, recording.redactor) },
                headers: recording.redactor.headers(fields), started: startedAtDate, body: body))
    }

    /// The route line, with `upstream_name`: the very name the proxy gives
    /// ``UpstreamErrorMapper`` (see ``ModelEntry/upstreamName``), so a replay
    /// reproduces its error messages without rebuilding it.
    ///
    /// Each attempt of a `fallback:` list has its own route line, saying
    /// why the one before was given up; the access line names the last.
    func recordRoute(
        entry: ModelEntry, options: RouteOptions, requestedModel: String, scenario: RequestScenario? = nil,
        fallback: UpstreamFallback? = nil
    ) {
        var notes: [String] = []
        if let scenario { notes.append(scenario.rawValue) }
        if let fallback { notes.append(fallback.summary) }
        noteRoute(
            requestedModel: requestedModel, routeID: entry.modelID, format: entry.format,
            upstreamModel: options.upstreamModel, note: notes.isEmpty ? nil : notes.joined(separator: ", "))
        guard let recording else { return }
        let recordedOptions = options.extraBody == nil ? options : ExtraBodySecrets(options.extraBody).recorded(options)
        record(
            .route(
                modelID: entry.modelID, upstream: recording.redactor.url(entry.apiBase), options: recordedOptions.json,
                requestedModel: requestedModel, upstreamName: entry.upstreamName, scenario: scenario?.rawValue,
                fallback: fallback?.json))
    }

    /// Logs what a conversion dropped or repaired (warnings as warnings,
    /// the rest at debug) and records it as `diagnostic` lines.
    func report(_ diagnostics: [ConversionDiagnostic], logger: Logger) {
        for diagnostic in diagnostics {
            let level: Logger.Level = diagnostic.severity == .warning ? .warning : .debug
            logger.log(level: level, "conversion: \(diagnostic.path): \(diagnostic.message)")
        }
        guard let recording, !diagnostics.isEmpty else { return }
        recording.recorder.record(
            exchange: id, timeMicros: elapsedMicros,
            lines: diagnostics.map {
                .diagnostic(severity: $0.severity, path: $0.path, message: $0.message)
            })
    }

    /// - Parameter extraBody: the route's `extra_body`, whose secrets
    ///   (``ExtraBodySecrets``) are fingerprinted in the recorded body.
    func recordUpstreamRequest(_ request: HTTPClientRequest, body: [UInt8], extraBody: JSONObject? = nil) {
        guard let recording else { return }
        let secrets = ExtraBodySecrets(extraBody)
        record(
            .upstreamRequest(
                method: request.method.rawValue, url: recording.redactor.url(request.url),
                headers: recording.redactor.headers(request.headers.map { ($0.name, $0.value) }),
                body: secrets.isEmpty ? body : secrets.redacting(body)))
    }

    func recordUpstreamResponse(_ response: UpstreamResponse) {
        guard let recording else { return }
        record(
            .upstreamResponse(
                status: Int(response.status.code),
                headers: recording.redactor.headers(response.headers.map { ($0.name, $0.value) })))
    }

    func recordUpstreamChunk(_ chunk: ByteBuffer) {
        record(.upstreamChunk(bytes: Array(chunk.readableBytesView)))
    }

    /// A chunk recorded after it came (``HeldUpstreamChunks``), at the time
    /// it came: a replay's timing stays the upstream's.
    func recordUpstreamChunk(_ chunk: ByteBuffer, cameAtMicros time: Int64) {
        recording?.recorder.record(
            exchange: id, timeMicros: time, .upstreamChunk(bytes: Array(chunk.readableBytesView)))
    }

    /// The head sent to the client, with the body when it is not a stream.
    func recordClientResponse(status: Int, headers: HTTPFields, body: ByteBuffer?) {
        guard let recording else { return }
        record(
            .clientResponse(
                status: status, headers: recording.redactor.headers(headers.map { ($0.name.rawName, $0.value) }),
                body: body.map { Array($0.readableBytesView) }))
    }

    /// - Parameter events: `frames` read back as events already (a JSON-array
    ///   stream's framing reads them), or nil to read them here.
    func recordClientEvents(_ frames: SSEFrames, readAs events: [SSEEvent]? = nil) {
        // Read back as events only for a trace's finish reasons: written
        // frames become events only there or in the framing.
        noteFinishReasons { FinishReasons.find(in: events ?? frames.events) }
        guard let recording else { return }
        guard let events else {
            // Written from the frames' bytes on the recorder's thread.
            recording.recorder.record(exchange: id, timeMicros: elapsedMicros, clientEvents: frames)
            return
        }
        recording.recorder.record(exchange: id, timeMicros: elapsedMicros, lines: events.map { .clientEvent($0) })
    }

    func recordError(_ error: APIError, stage: CassetteStage) {
        noteError(error)
        record(.error(stage: stage, type: error.type, message: error.message, status: error.status))
    }

    /// The client went away mid-answer (`cancellation` says how: it hung
    /// up, or the proxy closed its connection when it read nothing): a
    /// `client` error and the `end` (`client_cancelled`, or `error` for a
    /// timeout), unless the exchange has ended already.
    func recordClientGone(_ cancellation: ExchangeCancellation = .clientGone, status: Int, usage: JSONValue?) {
        guard claimEnd() else { return }
        recordError(cancellation.error, stage: cancellation.stage)
        writeEnd(outcome: cancellation.outcome, status: status, usage: usage)
    }

    /// The end of the exchange, once: its access line, metrics, span when
    /// traced, and its `end` line when recording.
    func recordEnd(outcome: CassetteOutcome, status: Int?, usage: JSONValue?) {
        guard claimEnd() else { return }
        writeEnd(outcome: outcome, status: status, usage: usage)
    }

    private func writeEnd(outcome: CassetteOutcome, status: Int?, usage: JSONValue?) {
        let now = elapsedMicros
        accessLog?.log(self, outcome: outcome, status: status, durationMicros: now, usage: usage)
        reportEnd(outcome: outcome, status: status, usage: usage)
        trace?.end(self, outcome: outcome, status: status, durationMicros: now, usage: usage)
        guard let recording else { return }
        recording.recorder.record(
            exchange: id, timeMicros: now,
            .end(
                outcome: outcome, status: status, durationMicros: now, ttfbMicros: firstByteMicros, usage: usage,
                droppedEvents: recording.recorder.takeDroppedSinceLastEnd()))
    }

    /// Queues `line` at the time now; nothing, and `line` not even built
    /// (no copy of a body), when not recording.
    private func record(_ line: @autoclosure () -> CassetteLine) {
        guard let recording else { return }
        let time = elapsedMicros
        recording.recorder.record(exchange: id, timeMicros: time, line())
    }

    /// A query string with secret parameters (`key=...`) fingerprinted.
    private static func redactedQuery(_ query: String, _ redactor: Redactor) -> String {
        let redacted = redactor.url("/?" + query)
        return String(redacted.dropFirst(2))
    }
}
