import Cassette
import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus
import Wire

/// The proxy's metrics, in the Prometheus text format at `GET /metrics`, and
/// its usage since start at `GET /v1/stats`.
///
/// Exchanges report through swift-metrics objects made with this server's
/// own ``PrometheusMetricsFactory`` (not the process-wide bootstrap), so two
/// servers in one process (tests, `--demo`) count apart. Cassette figures
/// are read from the recorder when scraped. Every name is listed, with its
/// labels, in the README's Observability section.
public final class ProxyMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Each route's metrics, by route and upstream format.
    private let routes = NIOLockedValueBox<[RouteKey: RouteMetrics]>([:])
    private let reloadsApplied: CoreMetrics.Counter
    private let reloadsRefused: CoreMetrics.Counter
    private let exchangesInFlight: Meter
    private let streamsInFlight: Meter
    private let cassette: CassetteGauges?
    /// What `GET /v1/stats` reports.
    let usage = UsageStats()

    /// Metrics for a server recording with `recorder`, if any.
    public init(recorder: CassetteRecorder? = nil) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var configured = PrometheusMetricsFactory(registry: registry)
        configured.durationHistogramBuckets = [
            "switchboard_upstream_first_byte_seconds": Self.seconds([0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]),
            "switchboard_upstream_duration_seconds": Self.seconds([0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600]),
            "switchboard_stream_chunk_interval_seconds": Self.seconds([
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30,
            ]),
        ]
        let factory = configured
        self.factory = factory
        reloadsApplied = Counter(
            label: "switchboard_config_reloads_total", dimensions: [("result", "ok")], factory: factory)
        reloadsRefused = Counter(
            label: "switchboard_config_reloads_total", dimensions: [("result", "error")], factory: factory)
        exchangesInFlight = Meter(label: "switchboard_exchanges_in_flight", factory: factory)
        streamsInFlight = Meter(label: "switchboard_streams_in_flight", factory: factory)
        cassette = recorder.map { CassetteGauges(recorder: $0, registry: registry) }
    }

    private struct RouteKey: Hashable {
        var route: String
        var format: String
    }

    /// The metrics of `route` at `format`, made on first use; "none" for an
    /// exchange that never got to a route.
    func routeMetrics(route: String?, format: String?) -> RouteMetrics {
        let key = RouteKey(route: route ?? "none", format: format ?? "none")
        return routes.withLockedValue { routes in
            if let metrics = routes[key] { return metrics }
            let metrics = RouteMetrics(route: key.route, format: key.format, factory: factory)
            routes[key] = metrics
            return metrics
        }
    }

    private static func seconds(_ values: [Double]) -> [Duration] {
        values.map { .nanoseconds(Int64($0 * 1e9)) }
    }

    /// The text exposition (format 0.0.4) of every metric.
    public func exposition() -> [UInt8] {
        cassette?.update()
        return registry.emitToBuffer()
    }

    // MARK: What exchanges report

    func exchangeStarted() { exchangesInFlight.increment() }

    func streamStarted() { streamsInFlight.increment() }

    /// One exchange ended, on the route whose metrics are `route`; a token
    /// count (`countsTokens`) is counted apart from the route's requests.
    func exchangeEnded(
        dialect: String, route: RouteMetrics, status: Int?, outcome: CassetteOutcome, streamed: Bool,
        usage: JSONValue?, countsTokens: Bool = false
    ) {
        exchangesInFlight.decrement()
        if streamed { streamsInFlight.decrement() }
        route.requests(dialect: dialect, status: status, outcome: outcome, countsTokens: countsTokens).increment()
        if countsTokens {
            self.usage.addTokenCount(route: route.route)
            return
        }
        let counts = TokenUsage(usage)
        route.count(counts)
        self.usage.add(route: route.route, outcome: outcome, usage: counts)
    }

    /// An attempt on `route` given up for the next entry of its fallbacks:
    /// the exchange ends on another route, so without this a route that
    /// always fails would show nowhere.
    func fellBack(from route: RouteMetrics) {
        route.fallbacks.increment()
        usage.addFallback(route: route.route)
    }

    func upstreamAnswered(route: RouteMetrics, after elapsed: Duration) {
        route.firstByte.recordNanoseconds(elapsed.totalNanoseconds)
    }

    func upstreamFinished(route: RouteMetrics, after elapsed: Duration) {
        route.upstreamDuration.recordNanoseconds(elapsed.totalNanoseconds)
    }

    /// Records the gaps between one stream's upstream chunks.
    struct ChunkIntervals {
        fileprivate let timer: CoreMetrics.Timer

        /// The recorder of the gaps on `route`.
        init(route: RouteMetrics) { timer = route.chunkInterval }

        func record(_ gap: Duration) {
            timer.recordNanoseconds(gap.totalNanoseconds)
        }
    }

    /// A config reload, applied or refused.
    public func configReloaded(ok: Bool) {
        (ok ? reloadsApplied : reloadsRefused).increment()
    }
}

/// The recorder's queue depth, bytes written and dropped events, read when
/// scraped (the counters advance by what changed since the last scrape).
private final class CassetteGauges: Sendable {
    private let recorder: CassetteRecorder
    private let queued: Prometheus.Gauge
    private let bytes: Prometheus.Counter
    private let dropped: Prometheus.Counter
    private let reported = NIOLockedValueBox((droppedEvents: 0, bytesWritten: 0))

    init(recorder: CassetteRecorder, registry: PrometheusCollectorRegistry) {
        self.recorder = recorder
        queued = registry.makeGauge(
            descriptor: .init(
                metricName: "switchboard_cassette_queue", unitName: "lines",
                helpText: "Cassette lines waiting for the writer thread."))
        bytes = registry.makeCounter(
            descriptor: .init(
                metricName: "switchboard_cassette_bytes_written", unitName: "total",
                helpText: "Compressed cassette bytes written to disk."))
        dropped = registry.makeCounter(
            descriptor: .init(
                metricName: "switchboard_cassette_dropped_events", unitName: "total",
                helpText: "Cassette events dropped (queue full, or the disk failed)."))
    }

    func update() {
        let now = recorder.statistics
        let before = reported.withLockedValue { reported in
            defer { reported = (now.droppedEvents, now.bytesWritten) }
            return reported
        }
        queued.set(Double(now.queuedLines))
        if now.bytesWritten > before.bytesWritten { bytes.increment(by: Int64(now.bytesWritten - before.bytesWritten)) }
        if now.droppedEvents > before.droppedEvents {
            dropped.increment(by: Int64(now.droppedEvents - before.droppedEvents))
        }
    }
}
