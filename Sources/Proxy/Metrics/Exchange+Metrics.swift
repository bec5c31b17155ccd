import Convert
import Wire

extension Exchange {
    /// The exchange's end, to the metrics: its request count, tokens, the
    /// upstream's whole duration, and the in-flight gauges.
    func reportEnd(failed: Bool, status: Int?, usage: JSONValue?) {
        guard let metrics, let end = metricsAtEnd else { return }
        if let start = end.upstreamStartedAt {
            metrics.upstreamFinished(route: end.route, after: .now - start)
        }
        metrics.exchangeEnded(
            dialect: clientDialect.rawValue, route: end.route, status: status, failed: failed,
            streamed: isStreaming, usage: usage)
    }
}
