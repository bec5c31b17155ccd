import Foundation
import HTTPTypes
import Hummingbird
import Wire

/// `GET /metrics` (Prometheus text format) and `GET /v1/stats` (usage since
/// start per route, JSON).
struct ObservabilityEndpoints: Sendable {
    let metrics: ProxyMetrics
    let startedAt: ContinuousClock.Instant
    let startedAtDate = Date()

    @Sendable func metrics(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    @Sendable func stats(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        var stats = metrics.usage.json
        let uptime = ContinuousClock.now - startedAt
        stats["started"] = .string(ISO8601DateFormatter().string(from: startedAtDate))
        stats["uptime_seconds"] = .int(uptime.components.seconds)
        return context.exchange.json(stats)
    }
}
