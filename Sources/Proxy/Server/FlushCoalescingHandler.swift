import NIOCore

/// Holds a connection's flushes until the event loop's current task is done,
/// so everything written in one go leaves in one `writev`.
///
/// Hummingbird flushes every response part it writes: a stream relayed from
/// one upstream read went out as three syscalls (head, chunk, end), each a
/// loopback TCP send charged to the proxy. The exchange's task runs on the
/// connection's loop (``EventLoopTaskExecutor``), so the parts it writes
/// before it next waits are written in one loop task; the flush queued
/// behind that task sends them together. Nothing waits longer than the task
/// that wrote it, so a stream's pacing is the upstream's, as before.
/// (Netty's `FlushConsolidationHandler` does the same.)
final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var flushQueued = false

    func flush(context: ChannelHandlerContext) {
        guard !flushQueued else { return }
        flushQueued = true
        context.eventLoop.assumeIsolated().execute {
            self.flushHeldWrites(context: context)
        }
    }

    /// A close fails the writes not yet flushed: Hummingbird closes a
    /// `Connection: close` exchange's channel in the task that wrote its end.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        flushHeldWrites(context: context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        flushHeldWrites(context: context)
    }

    /// Sends the held writes now rather than lose them.
    private func flushHeldWrites(context: ChannelHandlerContext) {
        guard flushQueued else { return }
        flushQueued = false
        context.flush()
    }
}
