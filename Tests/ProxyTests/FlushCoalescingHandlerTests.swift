import NIOCore
import NIOEmbedded
import Testing

@testable import Proxy

/// Parts written and flushed in one loop task leave together once the task
/// is done: a stream's head, chunk and end in one `writev`, not three.
@Suite struct FlushCoalescingHandlerTests {
    @Test func partsFlushedInOneTaskLeaveTogetherAfterIt() throws {
        let channel = EmbeddedChannel(handler: FlushCoalescingHandler())
        for part in ["head", "chunk", "end"] {
            channel.writeAndFlush(ByteBuffer(string: part), promise: nil)
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.embeddedEventLoop.run()
        #expect(try Self.sent(channel) == ["head", "chunk", "end"])
        // The next task's flush is held and sent again: nothing is stuck.
        channel.writeAndFlush(ByteBuffer(string: "next"), promise: nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.embeddedEventLoop.run()
        #expect(try Self.sent(channel) == ["next"])
        #expect(try channel.finish().isClean)
    }

    @Test func removingTheHandlerSendsWhatItHeld() throws {
        let handler = FlushCoalescingHandler()
        let channel = EmbeddedChannel(handler: handler)
        channel.writeAndFlush(ByteBuffer(string: "held"), promise: nil)
        try channel.pipeline.syncOperations.removeHandler(handler).wait()
        #expect(try Self.sent(channel) == ["held"])
        _ = try channel.finish()
    }

    @Test func aCloseSendsWhatWasHeldBeforeClosing() throws {
        let channel = EmbeddedChannel(handler: FlushCoalescingHandler())
        channel.writeAndFlush(ByteBuffer(string: "end"), promise: nil)
        channel.close(promise: nil)
        #expect(try Self.sent(channel) == ["end"])
        channel.embeddedEventLoop.run()
        #expect(try Self.sent(channel) == [])
    }

    private static func sent(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readOutbound(as: ByteBuffer.self) { parts.append(String(buffer: part)) }
        return parts
    }
}
