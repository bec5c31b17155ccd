import AsyncHTTPClient
import Logging
import Proxy
import TestSupport
import Testing

/// `--no-metrics`: no `/metrics`, no `/v1/stats` (a 404 saying so), and the
/// rest serves as before.
struct MetricsSwitchTests {
    @Test func withMetricsOffTheirRoutesAreNotThere() async throws {
        try await StubHTTPServer.withRunning { stub in
            var logger = Logger(label: "metrics-off")
            logger.logLevel = .critical
            let server = ProxyServer(
                config: try ProxyHarness.config(stub: stub), options: .init(port: 0, metrics: false), logger: logger)
            try await server.withRunning { port in
                let proxy = ProxyHarness(port: port, stub: stub)
                let metrics = try await proxy.send(.GET, "/metrics")
                let stats = try await proxy.send(.GET, "/v1/stats")
                // Not a served path asked wrongly: there is nothing there.
                let posted = try await proxy.send(.POST, "/metrics", body: Array("{}".utf8))
                stub.reply = .json(200, UpstreamBodies.openAICompletion)
                let answer = try await proxy.post(json: ProxyHarness.messages())
                #expect(posted.status == 404)
                #expect(posted.headers["allow"].isEmpty)
                #expect(posted.errorType == "not_found_error")
                // Each says why it is not there, not "unknown endpoint".
                for reply in [metrics, stats] {
                    #expect(reply.status == 404)
                    #expect(reply.errorType == "not_found_error")
                    #expect(
                        reply.errorMessage?.hasPrefix("metrics are off: this proxy was started with --no-metrics")
                            == true, "\(reply.text)")
                }
                let anthropicStats = try await proxy.send(.GET, "/anthropic/v1/stats")
                #expect(anthropicStats.errorMessage?.hasPrefix("metrics are off") == true, "\(anthropicStats.text)")
                #expect(answer.status == 200)
                #expect(
                    String(decoding: server.metrics.exposition(), as: UTF8.self).contains("requests_total") == false)
            }
        }
    }
}
