import Cassette
import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

/// The metrics one route (at one upstream format) reports to, made the first
/// time the route is used and kept. An exchange looks its route's up once,
/// when routed, and then reports without a lookup; the request counter,
/// labelled by client dialect and status too, is found in a small table of
/// its own. (Looking each metric up by its label values, nine lookups of
/// string arrays per exchange, cost about 2% of the proxy's instructions
/// per request in `tools/bench.sh`.)
final class RouteMetrics: Sendable {
    let route: String
    let format: String
    let firstByte: CoreMetrics.Timer
    let upstreamDuration: CoreMetrics.Timer
    let chunkInterval: CoreMetrics.Timer
    let inputTokens: CoreMetrics.Counter
    let outputTokens: CoreMetrics.Counter
    let cacheReadTokens: CoreMetrics.Counter
    let cacheCreationTokens: CoreMetrics.Counter
    /// Attempts on this route given up for the next entry of its fallbacks.
    let fallbacks: CoreMetrics.Counter
    private let factory: PrometheusMetricsFactory
    private let requests = NIOLockedValueBox<[RequestKey: CoreMetrics.Counter]>([:])

    private struct RequestKey: Hashable {
        var dialect: String
        var status: Int
        var outcome: CassetteOutcome
        var countsTokens: Bool
    }

    /// `route` and `format` are "none" for an exchange that never got to a
    /// route (a bad request, an unknown model).
    init(route: String, format: String, factory: PrometheusMetricsFactory) {
        self.route = route
        self.format = format
        self.factory = factory
        let upstream = [("route", route), ("upstream_format", format)]
        firstByte = Timer(label: "switchboard_upstream_first_byte_seconds", dimensions: upstream, factory: factory)
        upstreamDuration = Timer(label: "switchboard_upstream_duration_seconds", dimensions: upstream, factory: factory)
        chunkInterval = Timer(
            label: "switchboard_stream_chunk_interval_seconds", dimensions: [("route", route)], factory: factory)
        func tokens(_ kind: String) -> CoreMetrics.Counter {
            Counter(
                label: "switchboard_tokens_total", dimensions: [("route", route), ("kind", kind)], factory: factory)
        }
        fallbacks = Counter(label: "switchboard_fallbacks_total", dimensions: upstream, factory: factory)
        inputTokens = tokens("input")
        outputTokens = tokens("output")
        cacheReadTokens = tokens("cache_read")
        cacheCreationTokens = tokens("cache_creation")
    }

    /// The request counter of a client dialect, a status (nil: none was
    /// sent, the client went away first) and an outcome: a stream that
    /// failed after its 200 head is told from one that did not only by it.
    /// Token counts (`countsTokens`) have a counter of their own,
    /// `switchboard_count_tokens_requests_total`: Claude Code counts
    /// before it sends, which counted as two requests.
    func requests(
        dialect: String, status: Int?, outcome: CassetteOutcome, countsTokens: Bool = false
    ) -> CoreMetrics.Counter {
        let key = RequestKey(dialect: dialect, status: status ?? -1, outcome: outcome, countsTokens: countsTokens)
        return requests.withLockedValue { made in
            if let counter = made[key] { return counter }
            let counter = Counter(
                label: countsTokens ? "switchboard_count_tokens_requests_total" : "switchboard_requests_total",
                dimensions: [
                    ("client_dialect", dialect), ("route", route), ("upstream_format", format),
                    ("status", status.map(String.init) ?? "none"), ("outcome", outcome.rawValue),
                ], factory: factory)
            made[key] = counter
            return counter
        }
    }

    /// Counts an exchange's tokens.
    func count(_ usage: TokenUsage) {
        if usage.input > 0 { inputTokens.increment(by: usage.input) }
        if usage.output > 0 { outputTokens.increment(by: usage.output) }
        if usage.cacheRead > 0 { cacheReadTokens.increment(by: usage.cacheRead) }
        if usage.cacheCreation > 0 { cacheCreationTokens.increment(by: usage.cacheCreation) }
    }
}
