import Convert
import Wire

extension Exchange {
    /// The exchange's end, to the metrics: its request count, tokens, the
    /// upstream's whole duration, and the in-flight gauges.
    func reportEnd(failed: Bool, status: Int?, usage: JSONValue?) {
        guard let metrics, let routeMetrics else { return }
        if route.routeID != nil, let start = upstreamStartedAt {
            metrics.upstreamFinished(route: routeMetrics, after: .now - start)
        }
        metrics.exchangeEnded(
            dialect: clientDialect.rawValue, route: routeMetrics, status: status, failed: failed,
            streamed: isStreaming, usage: usage)
    }
}
