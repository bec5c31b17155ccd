import ArgumentParser
import Cassette
import Foundation
import Logging
import Proxy
import ServiceRunning

/// `proxy serve`: the proxy, until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve the Anthropic Messages, OpenAI Chat Completions, OpenAI Responses and Gemini APIs, routed by "
            + "model to the providers in models.yaml.",
        discussion: """
            Each request's `model` picks an entry of the config (exact model_id, then glob aliases, then the \
            default); the request is converted to that entry's `format` (openai: Chat Completions and its many \
            compatibles; openai-responses; gemini; anthropic), and the answer, streamed or not, is converted \
            back to the client's own API. A client whose API is the entry's format is passed through. Errors \
            come back in the client's own error shape with the upstream's status and message.

            Clients: Anthropic on /v1/messages (also /anthropic/v1/messages); OpenAI on /v1/chat/completions \
            and /v1/responses (also under /openai, and without /v1); Gemini on \
            /v1beta/models/MODEL:generateContent and :streamGenerateContent (also under /gemini, and as \
            /v1/models/MODEL:...). Each API's prefix serves that API only.

            Connect Claude Code:

              proxy serve
              ANTHROPIC_BASE_URL=http://127.0.0.1:8082 claude

            Keys: an entry's api_key (literal or ${ENV_VAR}) is used when set; otherwise the client's own \
            x-api-key or bearer token is passed on. Keys are never logged or recorded.

            Browsers: a request from a web page (an Origin header) that is not on this machine gets 403, and so \
            does one whose Host is not a loopback name while the proxy listens on loopback (DNS rebinding), so \
            no page can spend the routes' keys; --allowed-origin and --allowed-host allow more. SDKs, curl and \
            Claude Code send no Origin and are served as before.

            Config: an error stops start-up with exit 78 and FILE:LINE:COLUMN: problem. What to do.; an unknown \
            field is a warning on stderr (FILE:LINE:COLUMN: warning: ...) and is ignored. `proxy config check` \
            checks a file without serving; `proxy route MODEL` says where a model name goes.

            Recording: --record DIR writes every request, response, chunk and SSE frame, on both sides, to \
            DIR/<start>-<pid>.jsonl.lz4 (read it with `log-replay DIR`, or `lz4 -dc FILE | jq`). Secret \
            headers are replaced by a short fingerprint.

            Logging: one line per exchange at info (request id, client API, model, route, status, duration, \
            first byte, tokens) to standard error; failures say why, at warning when upstream or proxy failed. \
            A standard error nobody reads never stops an exchange: past 4 MB held, lines are dropped and counted.

            Reload: the config is read again on SIGHUP and when its file, or the logins' file (auth.json, \
            written by `proxy login` and `logout`), changes (looked at every second). \
            A config with errors is refused, with the message start-up would give, and the one in force stays; \
            running exchanges finish with the config they started with. Each reload is logged.

            Traces: --otlp-endpoint URL (or the standard OTEL_EXPORTER_OTLP_ENDPOINT, \
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_TRACES_EXPORTER=otlp) exports one OpenTelemetry span per \
            exchange over OTLP/HTTP (http/protobuf; OTEL_EXPORTER_OTLP_PROTOCOL=http/json for JSON), with the \
            GenAI conventions: model asked for and used, tokens, finish reasons. Off otherwise, and with \
            OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. OTEL_SERVICE_NAME names the service \
            (default switchboard).

            Demo: --demo needs no config, key or network. Every model is served, through the real conversion to \
            OpenAI Chat Completions and back, by a built-in stub upstream replaying a recorded answer.
            """)

    @Option(
        help: ArgumentHelp(
            "The address to listen on. localhost listens on 127.0.0.1 alone, not ::1 (one address per "
                + "listener): give clients http://127.0.0.1:PORT, as the banner does."))
    var host = "127.0.0.1"

    // A negative number here and below reaches validate(), which names
    // the range: see NegativeOptionValues, applied in ProxyCommand.main().
    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8082

    @Option(
        help: ArgumentHelp(
            "The routes file. Default: $XDG_CONFIG_HOME/switchboard/models.yaml or "
                + "~/.config/switchboard/models.yaml, written with comments if missing.",
            valueName: "path"))
    var config: String?

    @Option(
        help: "Reject request bodies larger than this many MiB with 413 request_too_large.")
    var maxBodyMB = 32

    @Option(
        help: ArgumentHelp(
            "Serve at most this many client connections at once; a request on one more gets 503 "
                + "overloaded_error in its API's shape and may retry. The open-file limit is raised to fit "
                + "at start, with a warning when the system's hard limit is too low.", valueName: "n"))
    var maxConnections = 4096

    @Option(
        help: ArgumentHelp(
            "Close a client connection that has not sent a whole request head this many seconds after it "
                + "opened or after its last answer ended, or that is silent this long inside a request body "
                + "(slow, stalled or idle clients), or that reads none of its answer this long. An answer "
                + "read as it comes, however slowly, is never cut.", valueName: "seconds"))
    var headerTimeout = 60

    @Option(
        help: ArgumentHelp(
            "Also answer requests whose Host is this name (any port), or name:port, when listening on a loopback "
                + "address (repeatable; * allows any). Loopback names (localhost, 127.0.0.1, [::1]) always are; "
                + "others are refused with 403, as a web page using DNS rebinding sends them. Added to the config's "
                + "allowed_hosts.", valueName: "host"))
    var allowedHost: [String] = []

    @Option(
        help: ArgumentHelp(
            "Also answer requests from web pages of this origin, e.g. http://app.lan:3000 (repeatable; * allows "
                + "any). Requests with no Origin (SDKs, curl, Claude Code) and from loopback origins "
                + "(http://localhost:3000) always are; other pages get 403, so a page cannot spend the routes' keys. "
                + "Added to the config's allowed_origins.", valueName: "origin"))
    var allowedOrigin: [String] = []

    @Option(help: ArgumentHelp("Record every exchange to cassettes in this directory.", valueName: "dir"))
    var record: String?

    @Option(help: "Start a new cassette file when the current one reaches this many MiB.")
    var recordMaxMB = 256

    @Option(
        help: ArgumentHelp(
            "Also redact this header in cassettes (repeatable). Always redacted: "
                + "\(Redactor.defaultSecretHeaderList), and every header or query parameter whose name "
                + "holds \(Redactor.secretNameWordList) (not `tokens` or `authenticate`), or `sig` as a "
                + "part of it (`sig=`, `x-custom-sig`).", valueName: "name"))
    var redactHeader: [String] = []

    @Option(
        help: ArgumentHelp(
            "Export a span per exchange to this OpenTelemetry collector (OTLP/HTTP base URL, /v1/traces is "
                + "appended), e.g. http://localhost:4318. The OTEL_EXPORTER_OTLP_* variables win when set.",
            valueName: "url"))
    var otlpEndpoint: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Flag(
        name: .customLong("no-metrics"),
        help: "Do not serve /metrics and /v1/stats, nor count exchanges for them.")
    var noMetrics = false

    @Flag(help: "Serve the built-in demo: no config is read or written; no key or network is needed.")
    var demo = false

    @Option(
        help: "With --demo: 1 streams at the recorded pace, N times faster, 0 as fast as possible.")
    var demoSpeed = 1.0

    /// Set by `proxy start` on the server it spawns: the state directory.
    @Option(help: .hidden)
    var daemonState: String?

    /// The largest `--max-body-mb` and `--record-max-mb`: 1 TiB.
    static let mostMiB = 1 << 20
    /// The largest `--max-connections`.
    static let mostConnections = 1_000_000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        // Upper bounds too: past them the counts wrapped as bytes (a MiB is << 20) or trapped as a
        // listen backlog (an Int32) and in the open-file arithmetic.
        guard (1...Self.mostMiB).contains(maxBodyMB) else {
            throw ValidationError("--max-body-mb must be between 1 and \(Self.mostMiB) (1 TiB).")
        }
        guard (1...Self.mostMiB).contains(recordMaxMB) else {
            throw ValidationError("--record-max-mb must be between 1 and \(Self.mostMiB) (1 TiB).")
        }
        guard (1...Self.mostConnections).contains(maxConnections) else {
            throw ValidationError("--max-connections must be between 1 and \(Self.mostConnections).")
        }
        guard headerTimeout > 0 else { throw ValidationError("--header-timeout must be at least 1.") }
        guard ProxyLogging.levelNames.contains(logLevel.lowercased()) else {
            throw ValidationError("--log-level must be one of \(ProxyLogging.levelNames.joined(separator: ", ")).")
        }
        if let otlpEndpoint, !(otlpEndpoint.hasPrefix("http://") || otlpEndpoint.hasPrefix("https://")) {
            throw ValidationError("--otlp-endpoint must be an http:// or https:// URL, e.g. http://localhost:4318.")
        }
        for host in allowedHost {
            if let problem = HostOriginPolicy.problem(allowedHost: host) {
                throw ValidationError("--allowed-host \(host): \(problem).")
            }
        }
        for origin in allowedOrigin {
            if let problem = HostOriginPolicy.problem(allowedOrigin: origin) {
                throw ValidationError("--allowed-origin \(origin): \(problem).")
            }
        }
        try validateDemo()
    }

    func run() async throws {
        ServingTimeZone.useUTC()
        ProxyLogging.bootstrap(level: logLevel)
        if demo { return try await runDemo() }
        let proxyConfig = loadConfig()
        // Everything that can end start-up comes before the recorder opens,
        // and every exit after it closes the cassette (its LZ4 frame ended).
        let tracing = makeTracing()
        let recording = openRecording()
        let server = ProxyServer(
            config: proxyConfig,
            options: .init(
                host: host, port: port, maxBodyBytes: maxBodyMB << 20, configPollInterval: .seconds(1),
                metrics: !noMetrics, maxConnections: maxConnections, authStore: authStore,
                headerTimeout: .seconds(headerTimeout), allowedHosts: allowedHost, allowedOrigins: allowedOrigin),
            recording: recording, tracing: tracing)
        raiseOpenFileLimit()
        if let warning = Banner.exposureWarning(host: host, config: proxyConfig) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        let banner = Banner(host: host, config: proxyConfig, recordingTo: record)
        let writeState = stateWriter(configFile: proxyConfig.file)
        defer { removeDaemonState() }
        do {
            try await server.run { boundPort in
                banner.print(port: boundPort)
                writeState(boundPort)
            }
        } catch {
            await recording?.recorder.close()
            Self.fail(NetworkErrorText.listenFailure(error, host: host, port: port), code: 1)
        }
    }

    /// The config file served: `--config`, else the default one.
    private var configPath: String { config ?? DefaultConfig.path() }

    /// What would end start-up before the server listens, found without
    /// serving: a config with errors, or one naming an environment variable
    /// this environment lacks; a `--record` directory that cannot be made
    /// or written; `OTEL_*` settings the proxy refuses. `proxy restart` asks
    /// before it stops the running proxy. Nil when it would start (a
    /// missing default config is written at start, and valid). The port is
    /// not tried: the running proxy holds it.
    func startupProblem() -> String? {
        if !demo, config != nil || FileManager.default.fileExists(atPath: configPath) {
            do {
                _ = try ProxyConfig.load(path: configPath)
            } catch {
                return error.description
            }
        }
        if let record, let problem = RecordDirectoryCheck.problem(record) {
            return "cannot record to \(record): \(problem)"
        }
        do {
            try ProxyTracing.checkSettings(endpoint: otlpEndpoint, environment: ProcessInfo.processInfo.environment)
        } catch {
            return "cannot export traces: \(error)"
        }
        return nil
    }

    private func loadConfig() -> ProxyConfig {
        let path = configPath
        do {
            if config == nil, try DefaultConfig.writeIfMissing(at: path) {
                FileHandle.standardOutput.write(
                    Data("Wrote a default config to \(path); edit it to add providers.\n".utf8))
                if let note = TizeeImport.firstRunNote() { FileHandle.standardError.write(Data((note + "\n").utf8)) }
            }
            let loaded = try ProxyConfig.load(path: path).applyingSubscriptions(from: authStore)
            Terminal.printWarnings(loaded)
            return loaded
        } catch {
            Self.fail(error.description, code: Terminal.configErrorStatus)
        }
    }

    /// Raises the open-file limit for `--max-connections`, and says so on
    /// stderr when even the system's hard limit is too low.
    func raiseOpenFileLimit() {
        let outcome = FileDescriptorLimit.raise(maxConnections: maxConnections)
        let logger = Logger(label: "switchboard.serve")
        if outcome.after > outcome.before {
            logger.debug("open-file limit raised from \(outcome.before) to \(outcome.after)")
        }
        if let warning = outcome.warning {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
    }

    /// The recording `--record` asks for; exits when it cannot be opened.
    func openRecording() -> ExchangeRecording? {
        guard let record else { return nil }
        do {
            return try ExchangeRecording(directory: record, maxFileMB: recordMaxMB, redactHeaders: redactHeader)
        } catch {
            Self.fail("cannot record to \(record): \(error)", code: 1)
        }
    }

    /// The tracing `--otlp-endpoint` and the OTEL_* variables ask for, if
    /// any; exits when it cannot be set up (a bad variable).
    func makeTracing() -> ProxyTracing? {
        do {
            return try ProxyTracing.fromEnvironment(
                endpoint: otlpEndpoint, environment: ProcessInfo.processInfo.environment,
                logger: Logger(label: "switchboard.otel"))
        } catch {
            Self.fail("cannot export traces: \(error)", code: 1)
        }
    }

    /// Where `proxy login` keeps subscription logins.
    var authStore: AuthStore { AuthStore(path: AuthStore.defaultPath()) }

    static func fail(_ message: String, code: Int32) -> Never {
        Terminal.fail(message, code: code)
    }
}
