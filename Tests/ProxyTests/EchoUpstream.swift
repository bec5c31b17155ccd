import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An upstream on 127.0.0.1, plain or over TLS, that answers each request
/// with its method, target and body, and notes what it saw: connections
/// accepted, SNI names and `host` headers. Its ``Behaviour`` makes it end
/// connections the ways real upstreams do.
final class EchoUpstream: Sendable {
    struct Behaviour: Sendable {
        /// Answers with `connection: close` and closes.
        var closeAfterEachResponse = false
        /// Closes a connection this long after answering on it, without
        /// saying so (a keep-alive timeout).
        var closeIdleAfter: TimeAmount?
        /// Adds this many bytes of padding after the echo, in 16 KB chunks.
        var padding = 0
        /// Reads requests and never answers.
        var silent = false
        /// Closes a connection, unanswered, at its second request (the
        /// keep-alive race: the upstream gave up on it as it was reused).
        var dropReusedRequests = false
        /// Sends `103 Early Hints` at a connection's second request, then
        /// closes it unanswered: the upstream had that request.
        var hintsThenCloseOnReuse = false
        /// Answers a connection's second request `408 Request Timeout` with
        /// `connection: close` (an idle timeout's answer crossing it).
        var requestTimeoutOnReuse = false
        /// Answers this many requests in all, then closes each connection
        /// at its next request, unanswered.
        var answerFirst = Int.max
        /// Sends no `content-length`: the answer ends when the connection
        /// closes.
        var framedByClose = false
        /// Holds every answer until this many connections are open (for up
        /// to 10 s): requests sent at once then take a connection each,
        /// however late a loaded machine starts the second.
        var holdAnswersUntilConnections = 0
    }

    private struct Seen {
        var connections = 0
        var serverNames: [String] = []
        var hostHeaders: [String] = []
    }

    private let seen = NIOLockedValueBox(Seen())
    private let boundPort = NIOLockedValueBox(0)

    var port: Int { boundPort.withLockedValue { $0 } }
    var connections: Int { seen.withLockedValue { $0.connections } }
    var serverNames: [String] { seen.withLockedValue { $0.serverNames } }
    var hostHeaders: [String] { seen.withLockedValue { $0.hostHeaders } }
    var requestCount: Int { hostHeaders.count }

    /// The answer to a POST of `body` to `target`, padding aside.
    static func echo(target: String, body: String) -> String {
        "{\"echo\":\"POST \(target) \(body.replacingOccurrences(of: "\"", with: "\\\""))\"}"
    }

    /// Runs `body` with the upstream listening; TLS with `identity` when given.
    static func with(
        tls identity: TLSIdentity? = nil, behaviour: Behaviour = Behaviour(),
        _ body: (EchoUpstream) async throws -> Void
    ) async throws {
        let server = EchoUpstream()
        let seen = server.seen
        let context = try identity.map { identity in
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(identity.certificate)], privateKey: .privateKey(identity.key))
            configuration.applicationProtocols = ["http/1.1"]
            // Called once per handshake with the client's SNI name.
            configuration.sslContextCallback = { values, promise in
                seen.withLockedValue { $0.serverNames.append(values.serverHostname ?? "") }
                promise.succeed(NIOSSLContextConfigurationOverride())
            }
            return try NIOSSLContext(configuration: configuration)
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    seen.withLockedValue { $0.connections += 1 }
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(seen: seen, behaviour: behaviour))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.boundPort.withLockedValue { $0 = channel.localAddress?.port ?? 0 }
        do {
            try await body(server)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
    }

    private final class EchoHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let seen: NIOLockedValueBox<Seen>
        let behaviour: Behaviour
        private var head: HTTPRequestHead?
        private var body = ByteBuffer()
        private var idleClose: Scheduled<Void>?
        /// Requests read on this connection.
        private var requests = 0

        init(seen: NIOLockedValueBox<Seen>, behaviour: Behaviour) {
            self.seen = seen
            self.behaviour = behaviour
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                idleClose?.cancel()
                self.head = head
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                requests += 1
                let count = seen.withLockedValue { seen in
                    seen.hostHeaders.append(head.headers.first(name: "host") ?? "")
                    return seen.hostHeaders.count
                }
                if behaviour.hintsThenCloseOnReuse && requests > 1 {
                    let hints = HTTPResponseHead(
                        version: .http1_1, status: .custom(code: 103, reasonPhrase: "Early Hints"))
                    let channel = context.channel
                    context.writeAndFlush(wrapOutboundOut(.head(hints))).whenComplete { _ in
                        channel.close(promise: nil)
                    }
                } else if behaviour.requestTimeoutOnReuse && requests > 1 {
                    let headers = HTTPHeaders([("connection", "close"), ("content-length", "0")])
                    let timeout = HTTPResponseHead(version: .http1_1, status: .requestTimeout, headers: headers)
                    context.write(wrapOutboundOut(.head(timeout)), promise: nil)
                    let channel = context.channel
                    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
                } else if (behaviour.dropReusedRequests && requests > 1) || count > behaviour.answerFirst {
                    context.close(promise: nil)
                } else if !behaviour.silent {
                    answerOnceConnected(head, context: context, deadline: .now() + .seconds(10))
                }
            }
        }

        /// ``answer(_:context:)`` once ``Behaviour/holdAnswersUntilConnections``
        /// are open, looking again every 2 ms.
        private func answerOnceConnected(_ head: HTTPRequestHead, context: ChannelHandlerContext, deadline: NIODeadline)
        {
            let connections = seen.withLockedValue { $0.connections }
            guard connections < behaviour.holdAnswersUntilConnections, NIODeadline.now() < deadline else {
                answer(head, context: context)
                return
            }
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(2)) {
                self.answerOnceConnected(head, context: context, deadline: deadline)
            }
        }

        private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
            let answer = ByteBuffer(string: EchoUpstream.echo(target: head.uri, body: String(buffer: body)))
            var headers = HTTPHeaders([("content-type", "application/json")])
            if !behaviour.framedByClose {
                headers.add(name: "content-length", value: String(answer.readableBytes + behaviour.padding))
            }
            if behaviour.closeAfterEachResponse { headers.add(name: "connection", value: "close") }
            context.write(wrapOutboundOut(.head(.init(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(answer))), promise: nil)
            var left = behaviour.padding
            while left > 0 {
                let size = min(left, 16 << 10)
                context.write(
                    wrapOutboundOut(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: " "), count: size)))),
                    promise: nil)
                left -= size
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if behaviour.closeAfterEachResponse || behaviour.framedByClose {
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
            } else if let after = behaviour.closeIdleAfter {
                idleClose = context.eventLoop.assumeIsolated().scheduleTask(in: after) { context.close(promise: nil) }
            }
        }
    }
}
