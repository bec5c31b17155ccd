import Cassette
import Convert
import Wire

extension Exchange {
    /// The exchange's end, to the metrics: its request count, tokens, the
    /// upstream's whole duration (not a token count's), and the in-flight
    /// gauges.
    func reportEnd(outcome: CassetteOutcome, status: Int?, usage: JSONValue?) {
        guard let metrics, let end = metricsAtEnd else { return }
        if let start = end.upstreamStartedAt, !countsTokens {
            metrics.upstreamFinished(route: end.route, after: .now - start)
        }
        metrics.exchangeEnded(
            dialect: clientDialect.rawValue, route: end.route, status: status, outcome: outcome,
            streamed: isStreaming, usage: usage, countsTokens: countsTokens)
    }

    /// The attempt on the route this exchange is on was given up for a
    /// fallback (before the next route is recorded).
    func reportFallback() {
        guard let metrics, let route = routeMetrics else { return }
        metrics.fellBack(from: route)
    }
}
