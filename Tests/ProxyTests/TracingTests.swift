import Foundation
import Logging
import Proxy
import TestSupport
import Testing
import Wire

#if !SWITCHBOARD_WITHOUT_OTEL
import OTel
#endif

/// One OpenTelemetry span per exchange, exported over OTLP/HTTP (JSON here,
/// so the test reads it) to a stub collector, with the GenAI attributes.
@Suite struct TracingTests {
    /// A client's W3C trace, which the span must join.
    static let clientTraceID = "0af7651916cd43dd8448eb211c80319c"
    static let traceparent = "00-\(clientTraceID)-b7ad6b7169203331-01"

    #if !SWITCHBOARD_WITHOUT_OTEL
    /// Tracing to `collector`, whose batches go out only on shutdown (a
    /// minute's delay), so a span that arrives shows the server's service
    /// group flushed it.
    static func tracing(to collector: StubHTTPServer) throws -> ProxyTracing {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "switchboard-test"
        configuration.traces.otlpExporter.endpoint = collector.baseURL + "/v1/traces"
        configuration.traces.otlpExporter.protocol = .httpJSON
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(60)
        var quiet = Logger(label: "otel-test")
        quiet.logLevel = .critical
        configuration.diagnosticLogger = .custom(quiet)
        return try ProxyTracing(configuration: configuration)
    }
    #endif

    /// The spans of every OTLP/JSON request `collector` received.
    static func spans(_ collector: StubHTTPServer) throws -> [JSONValue] {
        try collector.requests.flatMap { request -> [JSONValue] in
            let body = try JSONValue(parsing: request.body)
            return (body["resourceSpans"]?.arrayValue ?? []).flatMap { resource in
                (resource["scopeSpans"]?.arrayValue ?? []).flatMap { $0["spans"]?.arrayValue ?? [] }
            }
        }
    }

    /// An attribute's value: strings as they are, integers (int64, which
    /// OTLP/JSON writes as strings) and string arrays as text.
    static func attribute(_ span: JSONValue, _ key: String) -> String? {
        guard let value = span["attributes"]?.arrayValue?.first(where: { $0["key"]?.stringValue == key })?["value"]
        else { return nil }
        if let string = value["stringValue"]?.stringValue { return string }
        if let int = value["intValue"] { return int.stringValue ?? int.intValue.map(String.init) }
        if let array = value["arrayValue"]?["values"]?.arrayValue {
            return array.compactMap { $0["stringValue"]?.stringValue }.joined(separator: ",")
        }
        return nil
    }

    /// A trace or span id as hex: OTLP/JSON says hex, protobuf's JSON
    /// mapping writes bytes as base64; either is read.
    static func hexID(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue else { return nil }
        if text.count == 32 || text.count == 16, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let bytes = Data(base64Encoded: text) else { return nil }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    #if !SWITCHBOARD_WITHOUT_OTEL
    @Test func aStreamedAndABufferedExchangeEachExportASpanWithGenAIAttributes() async throws {
        try await StubHTTPServer.withRunning { collector in
            collector.reply = .json(200, "{}")
            try await ProxyHarness.run(tracing: try Self.tracing(to: collector)) { proxy in
                proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
                let buffered = try await proxy.post(
                    json: ProxyHarness.messages(model: "gpt"), headers: [("traceparent", Self.traceparent)])
                #expect(buffered.status == 200)
                proxy.stub.reply = .eventStream(UpstreamBodies.anthropicStream)
                let streamed = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
                #expect(streamed.status == 200)
                proxy.stub.reply = .json(429, UpstreamBodies.openAIError("slow down"))
                let failed = try await proxy.post(json: ProxyHarness.messages(model: "gpt"))
                #expect(failed.status == 429)
                // Nothing before shutdown: the batch waits a minute.
                #expect(collector.requests.isEmpty)
            }
            #expect(await collector.waitForRequests(1, limit: .seconds(30)))
            let request = try #require(collector.requests.first)
            #expect(request.path == "/v1/traces")
            #expect(request.header("content-type") == "application/json")
            let spans = try Self.spans(collector)
            #expect(spans.count == 3)

            let gpt = try #require(
                spans.first {
                    Self.attribute($0, "switchboard.route") == "gpt" && Self.attribute($0, "error.type") == nil
                })
            #expect(gpt["name"]?.stringValue == "chat gpt")
            #expect(Self.hexID(gpt["traceId"]) == Self.clientTraceID)
            #expect(Self.hexID(gpt["parentSpanId"]) == "b7ad6b7169203331")
            #expect(Self.attribute(gpt, "gen_ai.operation.name") == "chat")
            #expect(Self.attribute(gpt, "gen_ai.provider.name") == "openai")
            #expect(Self.attribute(gpt, "gen_ai.system") == "openai")
            #expect(Self.attribute(gpt, "gen_ai.request.model") == "gpt")
            #expect(Self.attribute(gpt, "gen_ai.response.model") == "upstream-gpt")
            #expect(Self.attribute(gpt, "gen_ai.usage.input_tokens") == "5")
            #expect(Self.attribute(gpt, "gen_ai.usage.output_tokens") == "2")
            #expect(Self.attribute(gpt, "gen_ai.response.finish_reasons") == "end_turn")
            #expect(Self.attribute(gpt, "http.response.status_code") == "200")
            #expect(Self.attribute(gpt, "switchboard.client_dialect") == "anthropic")

            let claude = try #require(spans.first { Self.attribute($0, "switchboard.route") == "claude" })
            #expect(claude["name"]?.stringValue == "chat claude")
            #expect(Self.hexID(claude["traceId"]) != Self.clientTraceID)
            #expect(Self.attribute(claude, "gen_ai.provider.name") == "anthropic")
            #expect(Self.attribute(claude, "gen_ai.response.model") == "upstream-claude")
            #expect(Self.attribute(claude, "gen_ai.usage.input_tokens") == "5")
            #expect(Self.attribute(claude, "gen_ai.usage.output_tokens") == "2")
            #expect(Self.attribute(claude, "gen_ai.response.finish_reasons") == "end_turn")

            let limited = try #require(spans.first { Self.attribute($0, "error.type") != nil })
            #expect(Self.attribute(limited, "error.type") == "rate_limit_error")
            #expect(Self.attribute(limited, "http.response.status_code") == "429")
            #expect(limited["status"]?["code"]?.intValue == 2)
        }
    }
    #endif

    @Test func tracingIsOffUnlessAnEndpointOrTheEnvironmentAsksForIt() throws {
        let logger = Logger(label: "otel-test")
        #expect(try ProxyTracing.fromEnvironment(endpoint: nil, environment: [:], logger: logger) == nil)
        #expect(
            try ProxyTracing.fromEnvironment(
                endpoint: nil, environment: ["OTEL_SERVICE_NAME": "x", "PATH": "/bin"], logger: logger) == nil)
        #expect(
            try ProxyTracing.fromEnvironment(
                endpoint: "http://127.0.0.1:1", environment: ["OTEL_SDK_DISABLED": "true"], logger: logger) == nil)
        #expect(
            try ProxyTracing.fromEnvironment(
                endpoint: "http://127.0.0.1:1", environment: ["OTEL_TRACES_EXPORTER": "none"], logger: logger) == nil)
        try Self.expectOn(endpoint: "http://127.0.0.1:1", environment: [:], logger: logger)
        #expect(throws: ProxyTracing.UnsupportedProtocol.self) {
            try ProxyTracing.fromEnvironment(
                endpoint: "http://127.0.0.1:1", environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], logger: logger)
        }
        try Self.expectOn(
            endpoint: nil, environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:1/v1/traces"],
            logger: logger)
    }

    /// Tracing is on for `endpoint` and `environment`: a tracer, or, in a
    /// build without the exporter (`SWITCHBOARD_WITHOUT_OTEL`), the error
    /// saying so rather than traces silently not sent.
    static func expectOn(
        endpoint: String?, environment: [String: String], logger: Logger,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #if SWITCHBOARD_WITHOUT_OTEL
        #expect(throws: ProxyTracing.ExporterNotBuilt.self, sourceLocation: sourceLocation) {
            try ProxyTracing.fromEnvironment(endpoint: endpoint, environment: environment, logger: logger)
        }
        #else
        #expect(
            try ProxyTracing.fromEnvironment(endpoint: endpoint, environment: environment, logger: logger) != nil,
            sourceLocation: sourceLocation)
        #endif
    }
}
