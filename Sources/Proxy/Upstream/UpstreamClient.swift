import AsyncHTTPClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Wire

/// The HTTP/1.1 client that calls upstreams: keep-alive connections pooled
/// per event loop and origin, each request sent on the event loop of the
/// client's own connection.
///
/// Our own rather than AsyncHTTPClient (which stays for logins and
/// `proxy check`): measured with `tools/relay-floor`, AsyncHTTPClient costs
/// ~0.31 M instructions a request, a client like this ~0.2 M, and running
/// on the client's event loop saves the thread hops between the server's
/// loop, the client's pool and back. What it keeps of AsyncHTTPClient's
/// behaviour: TLS with the system's trust roots and SNI; a connect timeout
/// (``connectTimeout``); the route's timeout as a read timeout, for the
/// head and between two chunks of the body (LLM streams run for minutes
/// but should never pause that long); gzip and deflate asked for and
/// decoded, a body inflating more than 100 times refused as a bomb;
/// redirects not followed (``UpstreamCall`` follows 307 and 308 on the same
/// host only); a connection whose response was not read to its end is
/// closed, never reused; and the same errors.
///
/// There is no limit on connections to one upstream: every stream the proxy
/// admits gets its own at once (AsyncHTTPClient's queue for a connection
/// made streams wait out the connect timeout under load).
///
/// As a `Service`, it closes its idle connections after the server has
/// stopped.
public final class UpstreamClient: Service, Sendable {
    private struct PoolKey: Hashable {
        let eventLoop: ObjectIdentifier
        let origin: UpstreamOrigin
    }

    private struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<UpstreamConnectionHandler>
    }

    private let idle = NIOLockedValueBox<[PoolKey: [Connection]]>([:])
    private let tls: NIOLockedValueBox<Result<NIOSSLContext, any Error>?>
    private let tlsConfiguration: TLSConfiguration
    private let preparesTLS: Bool
    private let logger: Logger

    /// How long connecting to an upstream may take (TCP only: the TLS
    /// handshake counts toward the route's timeout).
    static let connectTimeout = Duration.seconds(10)
    /// The most idle connections kept for one origin on one event loop.
    static let maxIdlePerOrigin = 1024

    /// - Parameters:
    ///   - tlsConfiguration: For `https` upstreams; the default trusts the
    ///     system's roots. Tests pass one trusting their own.
    ///   - preparesTLS: Make the TLS context when the service starts, on
    ///     Swift's pool, rather than on the first `https` request: loading
    ///     the trust roots takes tens of milliseconds, which would hold up
    ///     every connection on that request's event loop.
    public init(
        logger: Logger = Logger(label: "switchboard.upstream"),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration(),
        preparesTLS: Bool = false
    ) {
        var configuration = tlsConfiguration
        configuration.applicationProtocols = ["http/1.1"]
        self.tlsConfiguration = configuration
        self.preparesTLS = preparesTLS
        self.tls = NIOLockedValueBox(nil)
        self.logger = logger
    }

    /// Sends `request` with `body` on `eventLoop` and returns the response
    /// once its head has come; its body streams. `timeout` is the longest
    /// the upstream may stay silent.
    func execute(
        _ request: HTTPClientRequest, body: ByteBuffer, timeout: Duration, on eventLoop: any EventLoop
    ) async throws -> UpstreamResponse {
        let (origin, target) = try UpstreamOrigin.parse(request.url)
        let head = UpstreamConnectionHandler.Head(
            method: request.method,
            bytes: try UpstreamRequestHead.encode(
                method: request.method, target: target, headers: request.headers, host: origin.hostHeader,
                contentLength: body.readableBytes))
        let readTimeout = TimeAmount.nanoseconds(timeout.totalNanoseconds)
        let key = PoolKey(eventLoop: ObjectIdentifier(eventLoop), origin: origin)
        var retried = false
        while true {
            let (connection, reused) = try await connection(for: key, on: eventLoop)
            // A client gone while the connection was made: nothing is sent
            // (cancellation from here on closes the connection too).
            if Task.isCancelled {
                connection.channel.close(promise: nil)
                throw CancellationError()
            }
            do {
                return try await send(
                    head, body: body, on: connection, reused: reused, key: key, readTimeout: readTimeout)
            } catch is UpstreamConnectionHandler.StaleConnection {
                // The upstream closed the pooled connection as the request
                // went out (its keep-alive ran out): a new one gets it, once.
                if retried || Task.isCancelled { throw HTTPClientError.remoteConnectionClosed }
                retried = true
                logger.debug("pooled connection to \(origin.hostHeader) was closed; sending on a new one")
            }
        }
    }

    private func send(
        _ head: UpstreamConnectionHandler.Head, body: ByteBuffer, on connection: Connection, reused: Bool, key: PoolKey,
        readTimeout: TimeAmount
    ) async throws -> UpstreamResponse {
        let request = UpstreamConnectionHandler.Request()
        let handler = connection.handler
        let responseBody = UpstreamBody(demand: UpstreamConnectionDemand(handler: handler, request: request))
        let source = responseBody.source
        let responseHead = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<HTTPResponseHead, any Error>) in
                handler.eventLoop.execute {
                    handler.value.send(
                        head, body: body, request: request, reused: reused, readTimeout: readTimeout,
                        headContinuation: continuation,
                        body: source
                    ) { [self] in
                        release(connection, key: key)
                    }
                }
            }
        } onCancel: {
            // Marked here as well: a task cancelled before the send reaches
            // the event loop must find it marked there.
            request.markGone()
            handler.eventLoop.execute { handler.value.readerGone(request) }
        }
        return UpstreamResponse(status: responseHead.status, headers: responseHead.headers, body: responseBody)
    }

    /// An idle connection to the key's origin on `eventLoop`, else a new one.
    private func connection(for key: PoolKey, on eventLoop: any EventLoop) async throws -> (Connection, reused: Bool) {
        while let connection = idle.withLockedValue({ $0[key]?.popLast() }) {
            if connection.channel.isActive { return (connection, true) }
        }
        let origin = key.origin
        let sslContext = try origin.tls ? self.sslContext() : nil
        do {
            let connection = try await ClientBootstrap(group: eventLoop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelOption(.autoRead, value: false)
                .connectTimeout(.seconds(Self.connectTimeout.components.seconds))
                .connect(host: origin.host, port: origin.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let sslContext {
                            let name = Self.isIPAddress(origin.host) ? nil : origin.host
                            try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: name))
                        }
                        // Requests are written as bytes from the wire's context,
                        // past the decoder and the decompressor (see
                        // `UpstreamRequestHead`); responses go up through them.
                        let wire = SocketEndHandler()
                        try pipeline.addHandler(wire)
                        let watch = InboundByteWatch()
                        try pipeline.addHandler(watch)
                        let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)
                        try pipeline.addHandler(ByteToMessageHandler(decoder))
                        try pipeline.addHandler(NIOHTTPResponseDecompressor(limit: .ratio(100)))
                        let handler = UpstreamConnectionHandler(
                            wire: try pipeline.context(handler: wire), decoder: decoder, watch: watch)
                        try pipeline.addHandler(handler)
                        return Connection(
                            channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                    }
                }
            // A connection the upstream (or the idle timeout) closes
            // leaves the pool at once, not when next picked.
            connection.channel.closeFuture.whenComplete { [self] _ in
                idle.withLockedValue { idle in
                    idle[key]?.removeAll { $0.channel === connection.channel }
                    if idle[key]?.isEmpty == true { idle[key] = nil }
                }
            }
            return (connection, false)
        } catch ChannelError.connectTimeout {
            throw HTTPClientError.connectTimeout
        }
    }

    private func release(_ connection: Connection, key: PoolKey) {
        let kept = idle.withLockedValue { idle in
            guard idle[key, default: []].count < Self.maxIdlePerOrigin else { return false }
            idle[key, default: []].append(connection)
            return true
        }
        if !kept { connection.channel.close(promise: nil) }
    }

    /// The TLS context, made once: loading the trust roots takes a while.
    private func sslContext() throws -> NIOSSLContext {
        try tls.withLockedValue { tls in
            if let made = tls { return try made.get() }
            let made = Result { try NIOSSLContext(configuration: tlsConfiguration) }
            tls = made
            return try made.get()
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    public func run() async throws {
        // A context that fails to load is kept as the failure, and each
        // https request reports it, as when it is made on first use.
        if preparesTLS { _ = try? sslContext() }
        try? await gracefulShutdown()
        shutdown()
    }

    /// Closes the idle connections; requests still running go on until
    /// they end or their client goes.
    public func shutdown() {
        let all = idle.withLockedValue { idle in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        for connection in all { connection.channel.close(promise: nil) }
    }
}
