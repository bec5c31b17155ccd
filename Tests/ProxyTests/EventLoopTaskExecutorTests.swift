import NIOCore
import NIOPosix
import Testing

@testable import Proxy

/// A client connection's task runs on the connection's event loop, and
/// stays there whoever resumes it: a timer, another loop, a child task.
@Suite struct EventLoopTaskExecutorTests {
    @Test func theTaskAndItsChildrenRunOnTheLoopAcrossAwaits() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let (loop, other) = (loops[0], loops[1])
        // The group is shut down whatever happens: a failure in between must
        // not leave its two threads running for the rest of the tests.
        let outcome: Result<[Bool], any Error>
        do {
            outcome = .success(try await Self.seenOnLoop(loop, other: other))
        } catch {
            outcome = .failure(error)
        }
        try await group.shutdownGracefully()
        #expect(try outcome.get() == [true, true, true, true])
        #expect(!loop.inEventLoop)
    }

    /// Whether the task is on `loop` after each kind of resumption.
    private static func seenOnLoop(_ loop: any EventLoop, other: any EventLoop) async throws -> [Bool] {
        try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: loop)) {
            var seen = [loop.inEventLoop]
            // Resumed by a timer on Swift's own threads.
            try await Task.sleep(for: .milliseconds(2))
            seen.append(loop.inEventLoop)
            // Resumed by a future another loop completes.
            let answer = try await other.submit { 42 }.get()
            seen.append(loop.inEventLoop && answer == 42)
            async let child = loop.inEventLoop
            seen.append(await child)
            return seen
        }
    }
}
