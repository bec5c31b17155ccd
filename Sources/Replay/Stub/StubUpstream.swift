import Cassette
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import ServiceRunning
import Wire

/// A fake provider that serves the upstream side of recorded exchanges over
/// HTTP: recorded status, headers and body chunks, at recorded timing scaled
/// by ``Options/speed``, recorded failures included.
///
/// Tests start it in-process on port 0:
/// ```swift
/// let stub = StubUpstream(exchanges: exchanges, options: .init(speed: 0))
/// try await stub.withRunning { port in /* point a client at 127.0.0.1:port */ }
/// ```
public final class StubUpstream: Sendable {
    public struct Options: Sendable {
        public var host: String
        /// 0 binds any free port; see ``run(onListening:)``.
        public var port: Int
        /// Recorded gaps are divided by this: 1 is recorded timing, 10 ten
        /// times faster, 0 as fast as possible.
        public var speed: Double
        /// Caps every gap, after scaling.
        public var maxGap: Duration?
        /// Serve exchanges strictly in recorded sequence.
        public var strictOrder: Bool
        /// Request fields matching skips; the default is
        /// ``VolatileFields/requests``.
        public var ignore: [JSONPointerPattern]
        /// What a request no recording matches gets: a 404/409 naming the
        /// nearest recording (the default), or that recording served.
        public var onMiss: StubMissPolicy
        /// Match Claude Code's requests with their environment (working
        /// directory, HOME, date, machine, ids) as recorded, instead of
        /// normalised (see ``ClaudeCodeEnvironment``).
        public var exactEnvironment: Bool

        public init(
            host: String = "127.0.0.1", port: Int = 0, speed: Double = 1, maxGap: Duration? = nil,
            strictOrder: Bool = false, ignore: [JSONPointerPattern] = VolatileFields.requests,
            onMiss: StubMissPolicy = .reject, exactEnvironment: Bool = false
        ) {
            self.host = host
            self.port = port
            self.speed = speed
            self.maxGap = maxGap
            self.strictOrder = strictOrder
            self.ignore = ignore
            self.onMiss = onMiss
            self.exactEnvironment = exactEnvironment
        }
    }

    public let options: Options
    public let logger: Logger
    let matcher: NIOLockedValueBox<StubMatcher>
    /// The connections that have been answered a request, by channel: a
    /// drop on one of them is one the proxy resends
    /// (``StubMatcher/match(method:path:body:now:reusedConnection:)``).
    let answeredConnections = NIOLockedValueBox<Set<ObjectIdentifier>>([])

    /// What was damaged in the cassettes the stub reads, one sentence each
    /// (files cut short, exchanges with no `end` line): `stub-upstream`
    /// prints them on standard error, since a recording served in part
    /// fails far from its cause.
    public let warnings: [String]

    /// A stub answering with the exchanges that reached an upstream.
    public convenience init(exchanges: [Exchange], options: Options = Options(), logger: Logger? = nil) {
        self.init(exchanges: exchanges, warnings: [], options: options, logger: logger)
    }

    private init(exchanges: [Exchange], warnings: [String], options: Options, logger: Logger?) {
        self.warnings = warnings
        self.options = options
        self.logger = logger ?? Logger(label: "stub-upstream")
        let recordings = exchanges.compactMap {
            StubRecording(exchange: $0, ignoring: options.ignore, normalizingEnvironment: !options.exactEnvironment)
        }
        matcher = NIOLockedValueBox(
            StubMatcher(
                recordings: recordings, ignoring: options.ignore, strictOrder: options.strictOrder,
                onMiss: options.onMiss, exactEnvironment: options.exactEnvironment))
    }

    /// A stub answering from the cassettes at `paths` (files or directories).
    public convenience init(
        cassettes paths: [String], options: Options = Options(), logger: Logger? = nil
    ) throws(CassetteReadError) {
        let set = try CassetteLoader.load(paths: paths)
        self.init(exchanges: set.exchanges, warnings: Self.warnings(set), options: options, logger: logger)
    }

    /// How many incomplete exchanges a warning names.
    static let namedIncompleteExchanges = 5

    /// The damage in `set` worth a warning.
    static func warnings(_ set: CassetteSet) -> [String] {
        var warnings = set.tornTails.map { torn in
            ControlCharacterEscape.escaped(
                "\(torn.file) is cut short (\(torn.description)): read up to its last whole block")
        }
        let incomplete = set.exchanges.filter(\.isIncomplete)
        if !incomplete.isEmpty {
            let named = incomplete.prefix(Self.namedIncompleteExchanges).map { "\($0.id) (\($0.file))" }
            let more = incomplete.count - named.count
            warnings.append(
                ControlCharacterEscape.escaped(
                    "\(incomplete.count) \(incomplete.count == 1 ? "exchange has" : "exchanges have") no end line, "
                        + "so \(incomplete.count == 1 ? "its" : "their") recorded answers may stop short: "
                        + named.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")))
        }
        return warnings
    }

    /// The recorded upstream requests it can answer, in recorded order.
    public var recordings: [StubRecording] { matcher.withLockedValue { $0.recordings } }

    /// The Hummingbird application, a `Service` to run in a `ServiceGroup`
    /// next to other services (as `proxy serve --demo` does).
    /// `onListening` gets the bound port.
    public func application(
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: StubResponder(stub: self),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Runs until the task is cancelled or, through ``application(onListening:)``
    /// and `runService()`, until SIGINT/SIGTERM.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).run()
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully; the
    /// `stub-upstream` executable's loop.
    public func runService(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }

    /// Starts the server, runs `body` with the bound port, then shuts the
    /// server down gracefully (open responses finish first).
    public func withRunning<Result: Sendable>(_ body: (Int) async throws -> Result) async throws -> Result {
        do {
            // A bounded shutdown: a reply held for a recorded timeout waits for its caller to close.
            return try await ListeningServiceRunner(logger: logger, shutdownGrace: .seconds(5)).withRunning(
                { application(onListening: $0) }, body)
        } catch is ListeningServiceRunner.NotListening {
            throw StubUpstreamError.notListening
        }
    }

    /// Scales a recorded gap by ``Options/speed`` and caps it.
    public func delay(forMicros micros: Int64) -> Duration? {
        guard options.speed > 0, micros > 0 else { return nil }
        // Held under Int64's limit: a gap near it (a cassette's number) trapped when made one again.
        var delay = Duration.microseconds(Int64(min((Double(micros) / options.speed).rounded(), 9e18)))
        if let maxGap = options.maxGap, delay > maxGap { delay = maxGap }
        return delay > .zero ? delay : nil
    }
}

/// Why the stub could not serve.
public enum StubUpstreamError: Error, CustomStringConvertible {
    /// The server stopped before it was listening.
    case notListening

    public var description: String { "stub-upstream stopped before it was listening" }
}
