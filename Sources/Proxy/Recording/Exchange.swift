import Cassette
import Convert
import Foundation
import NIOConcurrencyHelpers
import Wire

/// One request through the proxy, from the request head to the last byte of
/// the answer: its id, its clock, where it has got to, and (when recording)
/// the cassette it is written to.
final class Exchange: Sendable {
    private struct State {
        var stage = CassetteStage.clientRequest
        var clientRequestRecorded = false
        var firstByteMicros: Int64?
        var streaming = false
        var ended = false
        var usage: JSONValue?
        var clientDialect = Dialect.anthropic
        /// The client's `model` and the entry it went to, once routed.
        var requestedModel: String?
        var routeID: String?
        var upstreamFormat: Dialect?
        /// The model name the upstream was asked for.
        var upstreamModel: String?
        /// Why the answer stopped, when traced (see ``FinishReasons``).
        var finishReasons: [String] = []
        /// How the route was chosen, when not by model name alone: the
        /// scenario, the fallback taken.
        var routeNote: String?
        /// The metrics of the route it went to, looked up once routed.
        var routeMetrics: RouteMetrics?
        /// When the upstream request went out, for its metrics.
        var upstreamStartedAt: ContinuousClock.Instant?
        /// The status of the current attempt's upstream answer, once its
        /// head arrived; nil while none has (a connect failure).
        var upstreamStatus: Int?
        /// The first error of the exchange, for the access line.
        var error: APIError?
    }

    /// Sent as `request-id`, recorded as the cassette's `x`.
    let id: String
    let startedAt: ContinuousClock.Instant
    /// The wall-clock time at ``startedAt``, recorded as the request's
    /// `started` (what `log-replay --since` and HAR exports read).
    let startedAtDate: Date
    /// ``startedAtDate`` in whole Unix seconds: the `created` (`created_at`)
    /// of the OpenAI answers, which OpenAI's own carry.
    var createdAt: Int64 { Int64(startedAtDate.timeIntervalSince1970) }
    /// Nil when the proxy is not recording: every `record...` is then a no-op.
    let recording: ExchangeRecording?
    /// Where the access line goes when the exchange ends (see
    /// ``ExchangeAccessLog``); nil until the middleware has the request.
    let accessLog: ExchangeAccessLog?
    /// The server's metrics, which the exchange reports to; nil for
    /// exchanges that are not counted (`/metrics`, `/health`).
    let metrics: ProxyMetrics?
    /// The exchange's span, made at its end; nil when not tracing.
    let trace: ExchangeTrace?
    /// A token count (Anthropic's `count_tokens`, Gemini's `countTokens`),
    /// not a generation: counted apart from the route's requests, so a
    /// client that counts before it sends is not counted twice.
    let countsTokens: Bool
    private let state = NIOLockedValueBox(State())

    init(
        id: String, startedAt: ContinuousClock.Instant = .now, startedAtDate: Date = Date(),
        recording: ExchangeRecording? = nil, accessLog: ExchangeAccessLog? = nil, metrics: ProxyMetrics? = nil,
        trace: ExchangeTrace? = nil, countsTokens: Bool = false
    ) {
        self.id = id
        self.startedAt = startedAt
        self.startedAtDate = startedAtDate
        self.recording = recording
        self.accessLog = accessLog
        self.metrics = metrics
        self.trace = trace
        self.countsTokens = countsTokens
        metrics?.exchangeStarted()
    }

    /// Microseconds since the exchange began (`t_us`).
    var elapsedMicros: Int64 {
        (ContinuousClock.now - startedAt).totalMicroseconds
    }

    /// Where the exchange is; an error is recorded with the stage it
    /// happened in, as the `error` line's `stage`.
    var stage: CassetteStage {
        get { state.withLockedValue { $0.stage } }
        set { state.withLockedValue { $0.stage = newValue } }
    }

    /// Whether the answer is a stream, whose end is recorded when the stream
    /// ends rather than when the response is returned.
    var isStreaming: Bool {
        get { state.withLockedValue { $0.streaming } }
        set {
            let started = state.withLockedValue { state in
                defer { state.streaming = newValue }
                return newValue && !state.streaming
            }
            if started { metrics?.streamStarted() }
        }
    }

    /// The answer's Anthropic usage, for the `end` line, when known.
    var usage: JSONValue? {
        get { state.withLockedValue { $0.usage } }
        set { state.withLockedValue { $0.usage = newValue } }
    }

    /// The dialect the client speaks, whose shape its errors take.
    var clientDialect: Dialect {
        get { state.withLockedValue { $0.clientDialect } }
        set { state.withLockedValue { $0.clientDialect = newValue } }
    }

    /// Notes where the client's `model` went, for the access line.
    func noteRoute(
        requestedModel: String, routeID: String?, format: Dialect?, upstreamModel: String? = nil, note: String? = nil
    ) {
        let routeMetrics = metrics?.routeMetrics(route: routeID, format: format?.rawValue)
        state.withLockedValue { state in
            state.requestedModel = requestedModel
            state.upstreamModel = upstreamModel
            state.routeID = routeID
            state.upstreamFormat = format
            state.routeNote = note
            state.routeMetrics = routeMetrics
        }
    }

    /// The metrics of the route the exchange went to (those of no route
    /// before it is routed); nil when the exchange is not counted.
    var routeMetrics: RouteMetrics? { metricsAtEnd?.route }

    /// What the exchange's end reports to the metrics, read under one lock:
    /// the route's metrics (those of no route before it is routed), and when
    /// the upstream request went out, if the exchange was routed and it did;
    /// nil when the exchange is not counted.
    var metricsAtEnd: (route: RouteMetrics, upstreamStartedAt: ContinuousClock.Instant?)? {
        guard let metrics else { return nil }
        let (route, start) = state.withLockedValue { ($0.routeMetrics, $0.routeID == nil ? nil : $0.upstreamStartedAt) }
        return (route ?? metrics.routeMetrics(route: nil, format: nil), start)
    }

    /// The client's `model`, and the entry it went to, its format and the
    /// model name it was asked for, once routed.
    var route: (requestedModel: String?, routeID: String?, format: Dialect?, upstreamModel: String?) {
        state.withLockedValue { ($0.requestedModel, $0.routeID, $0.upstreamFormat, $0.upstreamModel) }
    }

    /// Notes why the answer stopped, from a body or frames sent to the
    /// client; only when traced, so untraced exchanges never parse for it.
    func noteFinishReasons(_ find: () -> [String]) {
        guard trace != nil else { return }
        let reasons = find()
        guard !reasons.isEmpty else { return }
        state.withLockedValue { $0.finishReasons += reasons }
    }

    var finishReasons: [String] { state.withLockedValue { $0.finishReasons } }

    /// The scenario and fallback that chose the route, for the access line.
    var routeNote: String? { state.withLockedValue { $0.routeNote } }

    /// The upstream request goes out now.
    func noteUpstreamStart() {
        let now = ContinuousClock.now
        state.withLockedValue {
            $0.upstreamStartedAt = now
            $0.upstreamStatus = nil
        }
    }

    /// The status of the last upstream answer's head, nil when the last
    /// upstream request got none.
    var upstreamStatus: Int? { state.withLockedValue { $0.upstreamStatus } }

    /// When the upstream request went out, if it did.
    var upstreamStartedAt: ContinuousClock.Instant? { state.withLockedValue { $0.upstreamStartedAt } }

    /// The upstream's response head arrived: its time to first byte.
    func noteUpstreamHead(status: Int) {
        state.withLockedValue { $0.upstreamStatus = status }
        // A token count's latency is not a generation's.
        guard let metrics, !countsTokens else { return }
        let (start, route) = state.withLockedValue { ($0.upstreamStartedAt, $0.routeMetrics) }
        guard let start, let route else { return }
        metrics.upstreamAnswered(route: route, after: .now - start)
    }

    /// The first error the exchange met (see ``recordError(_:stage:)``).
    var firstError: APIError? { state.withLockedValue { $0.error } }

    func noteError(_ error: APIError) {
        state.withLockedValue { state in
            if state.error == nil { state.error = error }
        }
    }

    /// Notes the first byte of the answer, once.
    func markFirstByte() {
        let now = elapsedMicros
        state.withLockedValue { state in
            if state.firstByteMicros == nil { state.firstByteMicros = now }
        }
    }

    var firstByteMicros: Int64? { state.withLockedValue { $0.firstByteMicros } }

    /// True the first time only: the client request is recorded once, by
    /// whoever gets to it first (the endpoint that read the body, or the
    /// middleware for requests no endpoint read).
    func claimClientRequest() -> Bool {
        state.withLockedValue { state in
            defer { state.clientRequestRecorded = true }
            return !state.clientRequestRecorded
        }
    }

    /// True the first time only, so an exchange has one `end` line.
    func claimEnd() -> Bool {
        state.withLockedValue { state in
            defer { state.ended = true }
            return !state.ended
        }
    }
}
