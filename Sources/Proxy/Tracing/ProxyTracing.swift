import HTTPTypes
import Logging
import ServiceLifecycle
import Tracing

#if !SWITCHBOARD_WITHOUT_OTEL
import OTel
#endif

/// OpenTelemetry traces of the proxy's exchanges, exported over OTLP/HTTP:
/// one span per exchange (see ``ExchangeTrace``).
///
/// Off unless asked for: ``fromEnvironment(endpoint:environment:logger:)``
/// gives nil, and no exchange makes a span, unless an endpoint is given
/// (`--otlp-endpoint`) or the standard variables name one. The tracer is this
/// server's own, not the process-wide `InstrumentationSystem`, so two servers
/// in one process (tests, `--demo`) trace apart. Its ``service`` runs in the
/// server's service group, which flushes the last spans on shutdown.
public struct ProxyTracing: Sendable {
    let tracer: any Tracer
    /// Batches and exports the spans; runs with the server.
    public let service: any Service

    #if !SWITCHBOARD_WITHOUT_OTEL
    /// Tracing with `configuration`, to which swift-otel applies the standard
    /// `OTEL_*` variables (they win over what is set in code).
    public init(configuration: OTel.Configuration) throws {
        var configuration = configuration
        configuration.traces.enabled = true
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        tracer = backend.factory
        service = backend.service
    }
    #endif

    /// The service name spans carry unless `OTEL_SERVICE_NAME` says otherwise.
    public static let defaultServiceName = "switchboard"

    /// Tracing as `--otlp-endpoint` and the environment ask for it, or nil
    /// when they don't. On when `endpoint` is given, or
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
    /// `OTEL_TRACES_EXPORTER=otlp` is set; off whatever else is set when
    /// `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`.
    ///
    /// - Parameter endpoint: the collector's base URL, as
    ///   `OTEL_EXPORTER_OTLP_ENDPOINT` takes it (`/v1/traces` is appended).
    public static func fromEnvironment(
        endpoint: String?, environment: [String: String], logger: Logger
    ) throws -> ProxyTracing? {
        guard isRequested(endpoint: endpoint, environment: environment) else { return nil }
        try checkSettings(endpoint: endpoint, environment: environment)
        #if SWITCHBOARD_WITHOUT_OTEL
        throw ExporterNotBuilt()
        #else
        var configuration = OTel.Configuration.default
        configuration.serviceName = defaultServiceName
        // swift-otel says each variable it applies at info; only its
        // warnings (a bad value, a failed export) are worth a line
        // (OTEL_LOG_LEVEL can ask for more).
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        if let endpoint {
            configuration.traces.otlpExporter.endpoint = tracesURL(base: endpoint)
        }
        return try ProxyTracing(configuration: configuration)
        #endif
    }

    /// Throws what ``fromEnvironment(endpoint:environment:logger:)`` would
    /// refuse in these settings, without making an exporter (`proxy
    /// restart` checks before it stops the running proxy): OTLP/gRPC, or
    /// traces asked of a build without the exporter. The values swift-otel
    /// reads itself (a sampler's name, a timeout) are not checked here.
    public static func checkSettings(endpoint: String?, environment: [String: String]) throws {
        guard isRequested(endpoint: endpoint, environment: environment) else { return }
        let protocolName =
            environment["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] ?? environment["OTEL_EXPORTER_OTLP_PROTOCOL"]
        if protocolName?.lowercased() == "grpc" {
            // swift-otel would stop the process: its gRPC exporter is not built in.
            throw UnsupportedProtocol()
        }
        #if SWITCHBOARD_WITHOUT_OTEL
        throw ExporterNotBuilt()
        #endif
    }

    /// Traces asked for from a build that leaves the OTLP exporter out
    /// (`SWITCHBOARD_WITHOUT_OTEL=1`, the ThreadSanitizer build of
    /// `tools/sanitizers.sh`, where swift-otel does not compile).
    public struct ExporterNotBuilt: Error, CustomStringConvertible {
        public var description: String {
            "this build leaves out the OTLP exporter (built with SWITCHBOARD_WITHOUT_OTEL=1, as the ThreadSanitizer "
                + "run does); build without that variable to export traces"
        }
    }

    /// OTLP/gRPC asked for: only OTLP/HTTP is built in (gRPC would cost
    /// every build minutes).
    public struct UnsupportedProtocol: Error, CustomStringConvertible {
        public var description: String {
            "OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported; use http/protobuf (the default) or http/json, "
                + "with the collector's OTLP/HTTP port (4318)"
        }
    }

    static func isRequested(endpoint: String?, environment: [String: String]) -> Bool {
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return false }
        switch environment["OTEL_TRACES_EXPORTER"]?.lowercased() {
        case "none": return false
        case "otlp": return true
        default: break
        }
        return endpoint != nil || environment["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil
            || environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] != nil
    }

    /// `base` + `/v1/traces`, as the OTLP spec builds it from a base URL.
    static func tracesURL(base: String) -> String {
        base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
    }

    /// The trace of one exchange, for its request's head: its parent is
    /// the client's `traceparent`, if it sent one.
    func trace(method: String, path: String, headers: HTTPFields) -> ExchangeTrace {
        var parent = InstrumentationContext.topLevel
        tracer.extract(headers, into: &parent, using: HTTPFieldsExtractor())
        return ExchangeTrace(tracer: tracer, parent: parent, method: method, path: path)
    }
}
