import AsyncHTTPClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// The HTTP clients that call upstreams, one per distinct route `timeout`.
///
/// A route's timeout is AsyncHTTPClient's read timeout: how long the upstream
/// may stay silent, both before its response head and between two chunks of
/// its body. That is the right limit for LLM streams, which can run for many
/// minutes but should never pause that long. AsyncHTTPClient sets it per
/// client, hence a small pool of clients keyed by timeout.
///
/// As a `Service`, it shuts its clients down after the server has stopped.
public final class UpstreamClient: Service, Sendable {
    private let clients = NIOLockedValueBox<[Duration: HTTPClient]>([:])
    private let logger: Logger

    public init(logger: Logger = Logger(label: "switchboard.upstream")) {
        self.logger = logger
    }

    /// The client for upstreams with this `timeout`.
    func client(timeout: Duration) -> HTTPClient {
        clients.withLockedValue { clients in
            if let client = clients[timeout] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(timeout))
            clients[timeout] = client
            return client
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Shuts every client down; requests still running fail.
    public func shutdown() async throws {
        let all = clients.withLockedValue { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all {
            do {
                try await client.shutdown()
            } catch {
                logger.warning("upstream client did not shut down cleanly: \(error)")
            }
        }
    }

    /// How long connecting to an upstream may take, a wait for a pooled
    /// connection included.
    static let connectTimeout = Duration.seconds(10)

    private static func configuration(_ timeout: Duration) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let connect = connectTimeout.components.seconds
        configuration.timeout = .init(connect: .seconds(connect), read: .milliseconds(milliseconds))
        // A refused connection fails the request at once (a 502 the client
        // sees now), instead of retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Claude Code runs requests in parallel; the default of 8 connections
        // per host would queue them behind each other. A request queued for a
        // connection fails at the connect timeout (10 s), so the limit must
        // cover every stream the proxy admits to one upstream: with 256 per
        // event loop, the 1,000-stream load test lost half its streams to 504s
        // once the paced upstream's streams outlasted the wait.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 4096
        // Redirects are followed by ``UpstreamCall``, which follows 307 and
        // 308 on the configured host only: AsyncHTTPClient's own following
        // would send the key to wherever the `location` points.
        configuration.redirectConfiguration = .disallow
        // Asks for gzip and deflate (`accept-encoding: deflate, gzip`) and
        // decodes them; a body that inflates more than 100 times is refused
        // as a decompression bomb. Other encodings (br) are not asked for,
        // and refused when sent anyway (see ``UpstreamContentEncoding``).
        configuration.decompression = .enabled(limit: .ratio(100))
        return configuration
    }
}
