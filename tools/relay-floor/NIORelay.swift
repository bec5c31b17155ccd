import NIOCore
import NIOHTTP1
import NIOPosix

/// Mode `nio`: a NIO HTTP/1 server whose every client connection relays to
/// one upstream connection on its own event loop, part by part: no task, no
/// hop between threads, no buffering. What a proxy built as one pipeline
/// from the client's channel to the upstream's would cost, before any work
/// of its own.
struct NIORelay {
    let upstreamPort: Int

    func run(host: String, port: Int) async throws {
        let upstreamPort = self.upstreamPort
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ClientSide(upstreamPort: upstreamPort))
                }
            }
            .bind(host: host, port: port).get()
        try await server.closeFuture.get()
    }
}

/// A client connection's end of the relay. The upstream connection is opened
/// on the first request, on the client channel's event loop, and kept for the
/// next requests; parts that come while it opens wait in `pending`.
final class ClientSide: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let upstreamPort: Int
    private var context: ChannelHandlerContext?
    private var upstream: (any Channel)?
    private var pending: [HTTPClientRequestPart] = []
    private var connecting = false

    init(upstreamPort: Int) {
        self.upstreamPort = upstreamPort
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        upstream?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part: HTTPClientRequestPart
        switch unwrapInboundIn(data) {
        case .head(let head):
            part = .head(HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: head.headers))
        case .body(let buffer): part = .body(.byteBuffer(buffer))
        case .end(let trailers): part = .end(trailers)
        }
        if let upstream {
            upstream.write(part, promise: nil)
        } else {
            pending.append(part)
            connect(on: context.eventLoop)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        upstream?.flush()
    }

    private func connect(on eventLoop: any EventLoop) {
        guard !connecting else { return }
        connecting = true
        let me = NIOLoopBound(self, eventLoop: eventLoop)
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamSide(client: me))
                }
            }
            .connect(host: "127.0.0.1", port: upstreamPort)
            .whenComplete { result in
                let me = me.value
                me.connecting = false
                switch result {
                case .success(let channel):
                    me.upstream = channel
                    for part in me.pending { channel.write(part, promise: nil) }
                    me.pending.removeAll()
                    channel.flush()
                case .failure:
                    me.context?.close(promise: nil)
                }
            }
    }

    /// A part of the upstream's response, for the client.
    func relay(_ part: HTTPServerResponsePart) {
        context?.write(wrapOutboundOut(part), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// The upstream closed its connection: the next request opens another.
    func upstreamClosed() {
        upstream = nil
    }
}

/// The upstream connection's end: response parts go to the client as they
/// come.
final class UpstreamSide: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let client: NIOLoopBound<ClientSide>

    init(client: NIOLoopBound<ClientSide>) {
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            client.value.relay(.head(HTTPResponseHead(version: .http1_1, status: head.status, headers: head.headers)))
        case .body(let buffer): client.value.relay(.body(.byteBuffer(buffer)))
        case .end(let trailers): client.value.relay(.end(trailers))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        client.value.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        client.value.upstreamClosed()
        context.fireChannelInactive()
    }
}
