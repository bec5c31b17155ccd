import NIOCore
import Synchronization

/// Sits in each client channel's pipeline and tells the connection's
/// ``ClientConnection`` when the client closes its side. Hummingbird allows
/// half-closure, so a client's EOF is an `inputClosed` event, not a closed
/// channel.
final class ClientConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// Reads pass through untouched; only events are observed.
    typealias InboundIn = NIOAny

    private let connections: ClientConnections
    private let connection = ClientConnection()

    init(connections: ClientConnections) {
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connections.insert(connection, for: context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connections.remove(context.channel)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            connection.clientHungUp()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.clientHungUp()
        connections.remove(context.channel)
        context.fireChannelInactive()
    }
}

/// The live client connections of one server, by channel, so a request
/// (which knows its channel) finds its ``ClientConnection``.
final class ClientConnections: Sendable {
    private let byChannel = Mutex<[ObjectIdentifier: ClientConnection]>([:])

    func insert(_ connection: ClientConnection, for channel: any Channel) {
        byChannel.withLock { $0[ObjectIdentifier(channel)] = connection }
    }

    func remove(_ channel: any Channel) {
        _ = byChannel.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func connection(for channel: any Channel) -> ClientConnection? {
        byChannel.withLock { $0[ObjectIdentifier(channel)] }
    }
}
