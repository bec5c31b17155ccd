import NIOConcurrencyHelpers
import NIOCore

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
        } else if event is ClientConnection.Cancelled {
            connection.cancelled()
        } else if let event = event as? ClientConnection.TimedOut {
            connection.timedOut(after: event.timeout)
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
/// (which knows its channel) finds its ``ClientConnection``; and how many of
/// them are admitted, for `--max-connections`.
///
/// A connection is admitted when its first request comes while fewer than
/// the maximum are; one that is not gets 503 `overloaded_error` for that
/// request and is looked at again on its next, so a client that waits and
/// retries gets in once another has gone. An admitted connection stays
/// admitted until it closes.
final class ClientConnections: Sendable {
    private struct Entry {
        let connection: ClientConnection
        var admitted = false
    }

    private struct State {
        var byChannel: [ObjectIdentifier: Entry] = [:]
        var admitted = 0
    }

    /// The most connections served at once; nil: no limit.
    let maxConnections: Int?
    private let state = NIOLockedValueBox(State())

    init(maxConnections: Int? = nil) {
        self.maxConnections = maxConnections
    }

    func insert(_ connection: ClientConnection, for channel: any Channel) {
        state.withLockedValue { $0.byChannel[ObjectIdentifier(channel)] = Entry(connection: connection) }
    }

    func remove(_ channel: any Channel) {
        state.withLockedValue { state in
            if state.byChannel.removeValue(forKey: ObjectIdentifier(channel))?.admitted == true {
                state.admitted -= 1
            }
        }
    }

    func connection(for channel: any Channel) -> ClientConnection? {
        state.withLockedValue { $0.byChannel[ObjectIdentifier(channel)]?.connection }
    }

    /// Whether `channel`'s request may be served: it is admitted already, or
    /// is now because there is room. A channel never seen (not through
    /// ``ClientConnectionHandler``) is served.
    func admit(_ channel: any Channel) -> Bool {
        guard let maxConnections else { return true }
        return state.withLockedValue { state in
            let id = ObjectIdentifier(channel)
            guard let entry = state.byChannel[id] else { return true }
            if entry.admitted { return true }
            guard state.admitted < maxConnections else { return false }
            state.byChannel[id]?.admitted = true
            state.admitted += 1
            return true
        }
    }

    /// Connections admitted now.
    var admittedCount: Int { state.withLockedValue { $0.admitted } }
}
