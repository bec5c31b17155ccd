import Convert
import Foundation
import HTTPTypes
import Hummingbird
import Wire

/// `GET /metrics` (Prometheus text format) and `GET /v1/stats` (usage since
/// start per route, JSON); with `--no-metrics`, a 404 that says they are off.
struct ObservabilityEndpoints: Sendable {
    /// Nil with `--no-metrics`.
    let metrics: ProxyMetrics?
    let startedAt: ContinuousClock.Instant
    let startedAtDate = Date()

    /// The 404 for either path when metrics are off.
    static let metricsOff = APIError.notFound(
        "metrics are off: this proxy was started with --no-metrics, so it serves no /metrics or /v1/stats; "
            + "restart it without --no-metrics to count requests")

    @Sendable func metrics(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        guard let metrics else { throw Self.metricsOff }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    @Sendable func stats(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        guard let metrics else { throw Self.metricsOff }
        var stats = metrics.usage.json
        let uptime = ContinuousClock.now - startedAt
        stats["started"] = .string(ISO8601DateFormatter().string(from: startedAtDate))
        stats["uptime_seconds"] = .int(uptime.components.seconds)
        return context.exchange.json(stats)
    }
}
