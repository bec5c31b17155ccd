import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 connection, its task (and the exchanges' child
/// tasks) run on the connection's own event loop rather than on Swift's
/// global pool: see ``EventLoopTaskExecutor``. Only the connections: the
/// application's services (config reloads, tracing export) stay on the pool.
/// Its flushes are held to the end of each loop task: see
/// ``FlushCoalescingHandler``.
struct EventLoopHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            // Nearest the socket: it holds the flushes of every handler above.
            try channel.pipeline.syncOperations.addHandler(FlushCoalescingHandler(), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// ``EventLoopHTTP1Channel`` connections.
    static func http1OnEventLoops(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in
            EventLoopHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
