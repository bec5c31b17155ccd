import NIOCore

/// Notes that bytes came from the upstream, on the socket's side of the
/// response decoder: a partial head (`HTTP/1.1 200 OK\r\nContent-Le`) or a
/// dropped `103 Early Hints` reaches no handler above the decoder, yet
/// shows the upstream had the request. ``UpstreamConnectionHandler`` clears
/// it as it sends and reads it when the connection is lost before an
/// answer's head: only a connection that gave back nothing is taken as
/// stale and its request sent again.
final class InboundByteWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// Whether any byte came since the last ``clear()``.
    private(set) var sawBytes = false

    func clear() { sawBytes = false }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        sawBytes = true
        context.fireChannelRead(data)
    }
}
