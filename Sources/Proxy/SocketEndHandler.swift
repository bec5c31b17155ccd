import NIOCore

/// A handler that does nothing, placed on the socket's side of a pipeline
/// (after TLS or the flush coalescer): bytes written from its context pass
/// none of the handlers above it, which are there for the other direction.
/// The upstream client writes requests from one (``UpstreamRequestHead``),
/// the server its answers (``ResponseEncoder``). It is an outbound handler
/// only because NIO takes no handler that is neither.
final class SocketEndHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
}
