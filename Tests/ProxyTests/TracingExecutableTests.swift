import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// `proxy serve --otlp-endpoint`: the real executable exports its spans as
/// OTLP/HTTP protobuf (the default) and flushes them when stopped; with
/// tracing off it sends nothing.
@Suite struct TracingExecutableTests {
    /// Serves one request with `arguments` and `environment` added, stops the
    /// server with SIGTERM, and gives what the collector received.
    private static func serveOneRequest(
        extraArguments: (_ collectorBase: String) -> [String], environment: [String: String] = [:]
    ) async throws -> [StubHTTPServer.ReceivedRequest] {
        let executable = try ChildProcess.builtExecutable("proxy")
        let scratch = try ExecutableScratch.directory("sb-otel")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configFile = scratch.appendingPathComponent("models.yaml")
        return try await StubHTTPServer.withRunning { collector in
            collector.reply = StubHTTPServer.Reply(status: 200, headers: [("content-type", "application/x-protobuf")])
            return try await StubHTTPServer.withRunning { stub in
                try Data(
                    """
                    models:
                      - model_id: gpt
                        model_name: upstream-gpt
                        api_base: \(stub.baseURL)/v1
                        format: openai
                    """.utf8
                ).write(to: configFile)
                stub.reply = .eventStream(UpstreamBodies.openAIStream)
                let child = try await ChildProcess(
                    executable,
                    arguments: ["serve", "--config", configFile.path, "--port", "0", "--log-level", "warning"]
                        + extraArguments(collector.baseURL),
                    environment: ExecutableScratch.environment(home: scratch).merging(environment) { $1 })
                defer { child.killIfRunning() }
                let line = try #require(
                    await child.outputLine(startingWith: "ANTHROPIC_BASE_URL="),
                    "no ANTHROPIC_BASE_URL line; stderr: \(child.standardError)")
                var request = HTTPClientRequest(
                    url: String(line.dropFirst("ANTHROPIC_BASE_URL=".count)) + "/v1/messages")
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: ProxyHarness.messages(model: "gpt", stream: true).serialized()))
                let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
                _ = try await response.body.collect(upTo: 1 << 20)
                #expect(response.status.code == 200)
                child.send(SIGTERM)
                let ending = await child.waitForEnding()
                #expect(ending == .exited(0), "stderr: \(child.standardError)")
                return collector.requests
            }
        }
    }

    #if SWITCHBOARD_WITHOUT_OTEL
    /// The ThreadSanitizer build leaves the exporter out: asking for
    /// traces stops the proxy saying why, not serving without them.
    @Test func otlpEndpointFailsClearlyWhenTheExporterIsLeftOut() async throws {
        let executable = try ChildProcess.builtExecutable("proxy")
        let scratch = try ExecutableScratch.directory("sb-otel")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configFile = scratch.appendingPathComponent("models.yaml")
        try Data(
            """
            models:
              - model_id: gpt
                model_name: upstream-gpt
                api_base: http://127.0.0.1:1/v1
                format: openai
            """.utf8
        ).write(to: configFile)
        let child = try await ChildProcess(
            executable,
            arguments: ["serve", "--config", configFile.path, "--port", "0", "--otlp-endpoint", "http://127.0.0.1:1"],
            environment: ExecutableScratch.environment(home: scratch))
        defer { child.killIfRunning() }
        let ending = await child.waitForEnding()
        #expect(ending == .exited(1), "stderr: \(child.standardError)")
        #expect(child.standardError.contains("leaves out the OTLP exporter"), "stderr: \(child.standardError)")
    }
    #else
    @Test func otlpEndpointExportsTheExchangeAsProtobufOnShutdown() async throws {
        // The export's own time limits (10 and 30 s by default) raised: a
        // loaded 2-core machine running the whole suite once missed them,
        // and the collector received nothing.
        let received = try await Self.serveOneRequest(
            extraArguments: { ["--otlp-endpoint", $0] },
            environment: ["OTEL_EXPORTER_OTLP_TIMEOUT": "60000", "OTEL_BSP_EXPORT_TIMEOUT": "60000"])
        let export = try #require(received.first)
        #expect(export.method == "POST")
        #expect(export.path == "/v1/traces")
        #expect(export.header("content-type") == "application/x-protobuf")
        // Protobuf keeps strings as they are: the attributes can be found in it.
        for text in ["switchboard", "chat gpt", "gen_ai.request.model", "upstream-gpt", "gen_ai.usage.output_tokens"] {
            #expect(export.bodyText.contains(text), "\(text) not in the export")
        }
    }
    #endif

    @Test func nothingIsSentWhenTracingIsDisabled() async throws {
        let received = try await Self.serveOneRequest(
            extraArguments: { ["--otlp-endpoint", $0] }, environment: ["OTEL_SDK_DISABLED": "true"])
        #expect(received.isEmpty)
    }
}
