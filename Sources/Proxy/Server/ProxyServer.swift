import Cassette
import Hummingbird
import Logging
import ServiceLifecycle
import ServiceRunning

/// The proxy as a Hummingbird application, built from a config.
///
/// `proxy serve` runs it until SIGINT or SIGTERM; tests and `--demo` run it
/// in-process on port 0 with ``withRunning(_:)``:
/// ```swift
/// let server = ProxyServer(config: config, options: .init(port: 0))
/// try await server.withRunning { port in
///     // talk to http://127.0.0.1:\(port)
/// }
/// ```
public struct ProxyServer: Sendable {
    /// Where and how the server listens.
    public struct Options: Sendable {
        public var host: String
        /// 0 picks a free port; ``withRunning(_:)`` and `onListening` report it.
        public var port: Int
        /// Larger client bodies get 413 `request_too_large`.
        public var maxBodyBytes: Int
        /// How often to look at the config file for changes, which are then
        /// loaded (as on SIGHUP); nil: never, and SIGHUP does nothing. Needs
        /// the config's `file`.
        public var configPollInterval: Duration?
        /// Serve `/metrics` and `/v1/stats`, and count every exchange for
        /// them; off, neither route exists and exchanges report nothing.
        public var metrics: Bool
        /// The most client connections served at once; a request on a
        /// connection over it gets 503 `overloaded_error` in its client's
        /// shape (and may retry). nil: no limit.
        public var maxConnections: Int?
        /// Where subscription logins are read from, at start (by the
        /// caller) and at every reload; nil: none are served.
        public var authStore: AuthStore?
        /// How long a client has to send a request head in full, from the
        /// connection's start or the end of its previous answer; then the
        /// connection is closed (slowloris, and idle kept-alive connections).
        public var headerTimeout: Duration
        /// Hosts a request may name in `Host` besides loopback ones, when
        /// ``host`` is a loopback address (`--allowed-host`; the config's
        /// `allowed_hosts:` adds to them): a name, any port, or
        /// `name:port`; `*` allows any. See ``HostOriginPolicy``.
        public var allowedHosts: [String]
        /// Web pages a request may come from (its `Origin`) besides
        /// loopback ones (`--allowed-origin`; the config's
        /// `allowed_origins:` adds to them), as `scheme://host[:port]`;
        /// `*` allows any.
        public var allowedOrigins: [String]

        /// The most bytes of an upstream stream that complete no event (one
        /// event's size, in effect); past it the stream ends with an error.
        /// Not a `serve` option: tests lower it.
        public var maxStreamEventBytes = UpstreamCall.defaultMaxStreamEventBytes

        /// The default ``headerTimeout``.
        public static let defaultHeaderTimeout: Duration = .seconds(60)

        public init(
            host: String = "127.0.0.1", port: Int = 8082, maxBodyBytes: Int = 32 << 20,
            configPollInterval: Duration? = nil, metrics: Bool = true, maxConnections: Int? = nil,
            authStore: AuthStore? = nil, headerTimeout: Duration = Options.defaultHeaderTimeout,
            allowedHosts: [String] = [], allowedOrigins: [String] = []
        ) {
            self.allowedHosts = allowedHosts
            self.allowedOrigins = allowedOrigins
            self.authStore = authStore
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.configPollInterval = configPollInterval
            self.metrics = metrics
            self.maxConnections = maxConnections
            self.headerTimeout = headerTimeout
        }
    }

    /// The config the server started with.
    public let config: ProxyConfig
    /// The routes in force: those of ``config`` until a reload replaces them.
    public let routes: LiveRouter
    public let options: Options
    /// When set, every exchange is recorded to its cassette.
    public let recording: ExchangeRecording?
    public let logger: Logger
    /// Served at `GET /metrics` and `GET /v1/stats`.
    public let metrics: ProxyMetrics
    /// When set, every exchange is a span, exported over OTLP.
    public let tracing: ProxyTracing?

    public init(
        config: ProxyConfig, options: Options = Options(), recording: ExchangeRecording? = nil,
        tracing: ProxyTracing? = nil, logger: Logger = Logger(label: "switchboard.proxy")
    ) {
        self.config = config
        routes = LiveRouter(ModelRouter(config: config))
        self.options = options
        self.recording = recording
        self.tracing = tracing
        self.logger = logger
        metrics = ProxyMetrics(recorder: recording?.recorder)
    }

    /// The application, ready to run (`runService()`, or as a service in a
    /// `ServiceGroup`). It owns its upstream HTTP clients and shuts them down
    /// after the server stops, then closes the recorder, if any, and
    /// exports the last spans, if tracing.
    /// `onListening` gets the bound port.
    public func makeApplication(
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let connections = ClientConnections(maxConnections: options.maxConnections)
        // Subscription entries (no api_base) call their providers over https.
        let upstream = UpstreamClient(
            logger: logger,
            preparesTLS: config.models.contains { (try? UpstreamOrigin.parse($0.apiBase))?.origin.tls ?? true })
        let router = Router(context: ProxyRequestContext.self)
        let middleware = ExchangeMiddleware(
            connections: connections, recording: recording, metrics: options.metrics ? metrics : nil,
            tracing: tracing,
            maxBodyBytes: options.maxBodyBytes,
            policy: HostOriginPolicy(
                listeningOn: options.host, port: options.port, allowedHosts: options.allowedHosts,
                allowedOrigins: options.allowedOrigins, routes: routes))
        router.add(middleware: middleware)
        let generate = GenerateEndpoint(
            routes: routes, upstream: upstream, maxBodyBytes: options.maxBodyBytes,
            maxStreamEventBytes: options.maxStreamEventBytes)
        addRoutes(to: router, upstream: upstream, generate: generate)
        let (headerTimeout, maxBodyBytes) = (options.headerTimeout, options.maxBodyBytes)
        let responder = ProxyResponder(router: router.buildResponder(), middleware: middleware, generate: generate)
        return Application(
            responder: responder,
            server: .exchanges(
                responder, maxBodyBytes: maxBodyBytes, headTimeout: headerTimeout,
                additionalHandlers: { [ClientConnectionHandler(connections: connections)] },
                refuseHead: middleware.refuseHead),
            // A burst of new connections waits in the kernel's accept queue;
            // Hummingbird's default of 256 made the kernel drop (or, with
            // tcp_abort_on_overflow, reset) the rest of a 1,000-client burst.
            // The kernel caps this at net.core.somaxconn.
            configuration: .init(
                address: .hostname(LoopbackAddress.listeningAddress(for: options.host), port: options.port),
                serverName: nil,
                backlog: max(256, options.maxConnections ?? 4096)),
            services: [upstream] + (recording.map { [RecorderService(recorder: $0.recorder)] } ?? [])
                + (configReloader.map { [$0] } ?? []) + (tracing.map { [$0.service] } ?? []),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, then stops accepting, lets running
    /// exchanges finish, and shuts down. SIGQUIT cancels the exchanges still
    /// running instead (`proxy stop` sends it when draining takes too long);
    /// the cassette is still closed cleanly.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [makeApplication(onListening: onListening)], gracefulShutdownSignals: [.sigint, .sigterm],
                cancellationSignals: [.sigquit], logger: logger))
        try await Self.run(group, closing: recording?.recorder)
    }

    /// Runs `group`, then closes `recorder`: after SIGQUIT too (which
    /// returns from the group without a graceful shutdown), once every
    /// cancelled exchange has recorded its end (see RecorderService); a
    /// no-op when already closed. For every group serving a recording
    /// proxy (`serve`, `serve --demo`).
    public static func run(_ group: ServiceGroup, closing recorder: CassetteRecorder?) async throws {
        do {
            try await group.run()
        } catch {
            await recorder?.close()
            throw error
        }
        await recorder?.close()
    }

    /// Starts the server, runs `body` with the bound port, then shuts the
    /// server down gracefully, whether `body` returned or threw.
    public func withRunning<T>(_ body: (Int) async throws -> T) async throws -> T {
        try await ListeningServiceRunner(logger: logger).withRunning({ makeApplication(onListening: $0) }, body)
    }

    /// Reloads the config on SIGHUP and when its file changes, when asked to.
    public var configReloader: ConfigReloader? {
        guard let interval = options.configPollInterval, !config.file.isEmpty else { return nil }
        var reloader = ConfigReloader(
            file: config.file, routes: routes, pollInterval: interval, logger: logger, metrics: metrics,
            authStore: options.authStore)
        reloader.configStampAtLoad = config.fileStamp
        return reloader
    }

    /// The routes. ``ProxyResponder`` takes generate requests to `generate`
    /// before the router; the router keeps their routes for the paths it
    /// also matches (a trailing slash), which the endpoint then refuses.
    private func addRoutes(
        to router: Router<ProxyRequestContext>, upstream: UpstreamClient, generate: GenerateEndpoint
    ) {
        let countTokens = CountTokensEndpoint(routes: routes, upstream: upstream, maxBodyBytes: options.maxBodyBytes)
        let models = ModelsEndpoint(routes: routes)
        // Every path GET reads answers HEAD too (monitors, `curl -I`, link
        // checkers asked so and got 405): the GET's status and headers, its
        // Content-Length included, and no body, which the
        // `ResponseEncoder` writes to no HEAD.
        func read(
            _ path: String, use handler: @escaping @Sendable (Request, ProxyRequestContext) async throws -> Response
        ) {
            router.get(RouterPath(path), use: handler)
            router.head(RouterPath(path), use: handler)
        }
        for prefix in ServedPaths.anthropic {
            router.post(RouterPath("\(prefix)/messages"), use: generate.handle)
            router.post(RouterPath("\(prefix)/messages/count_tokens"), use: countTokens.handle)
            read("\(prefix)/models", use: models.list)
            read("\(prefix)/models/**", use: models.get)
        }
        for prefix in ServedPaths.openAI {
            router.post(RouterPath("\(prefix)/chat/completions"), use: generate.handle)
            router.post(RouterPath("\(prefix)/responses"), use: generate.handle)
        }
        read(ServedPaths.openAIModels, use: models.openAIList)
        for prefix in ServedPaths.gemini {
            router.post(RouterPath("\(prefix)/models/**"), use: generate.handle)
        }
        for prefix in ServedPaths.geminiModels {
            read("\(prefix)/models", use: models.geminiList)
            read("\(prefix)/models/**", use: models.geminiGet)
        }
        read(ServedPaths.health) { _, context in context.exchange.json(["status": "ok"]) }
        // Off, the paths still answer, to say why there is nothing: a bare
        // "unknown endpoint" sent users looking for a wrong URL.
        let observability = ObservabilityEndpoints(metrics: options.metrics ? metrics : nil, startedAt: .now)
        read(ServedPaths.metrics, use: observability.metrics)
        for path in ServedPaths.stats {
            read(path, use: observability.stats)
        }
    }
}
