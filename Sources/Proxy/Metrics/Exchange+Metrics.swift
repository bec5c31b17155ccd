import Convert
import Wire

extension Exchange {
    /// The exchange's end, to the metrics: its request count, tokens, the
    /// upstream's whole duration, and the in-flight gauges.
    func reportEnd(failed: Bool, status: Int?, usage: JSONValue?) {
        guard let metrics else { return }
        let route = self.route
        if let routeID = route.routeID, let format = route.format, let start = upstreamStartedAt {
            metrics.upstreamFinished(route: routeID, format: format.rawValue, after: .now - start)
        }
        metrics.exchangeEnded(
            dialect: clientDialect.rawValue, route: route.routeID, format: route.format?.rawValue, status: status,
            failed: failed, streamed: isStreaming, usage: usage)
    }
}
