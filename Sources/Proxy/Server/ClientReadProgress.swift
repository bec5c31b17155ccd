import NIOCore

/// Whether a client is reading what waits for it, for the intake's timer:
/// the channel's unsent bytes when the client was last seen reading, fewer
/// when the timer fires meaning it read some meanwhile. Writability alone
/// does not show it: it comes back only below NIO's low-water mark, and one
/// large body (a whole answer, an image) is far above it, so a client
/// reading it steadily was cut.
struct ClientReadProgress {
    private var unsentWhenTimed: Int?

    /// Notes what is unsent now, as the client's time starts.
    mutating func mark(_ context: ChannelHandlerContext) {
        unsentWhenTimed = Self.unsentBytes(context)
    }

    /// Whether fewer bytes are unsent than when last marked; if so, the mark
    /// moves to what is left.
    mutating func advanced(_ context: ChannelHandlerContext) -> Bool {
        guard let before = unsentWhenTimed, let now = Self.unsentBytes(context), now < before else { return false }
        unsentWhenTimed = now
        return true
    }

    private static func unsentBytes(_ context: ChannelHandlerContext) -> Int? {
        try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)
    }
}
