import NIOCore
import Synchronization
import Testing

@testable import Proxy

/// The upstream body's own sequence: chunks in order, the connection told
/// to stop reading at the high watermark and to read again under the low
/// one, failures after what was buffered, and the connection told when the
/// reader stops before the end (and only then).
@Suite(.timeLimit(.minutes(1))) struct UpstreamBodyTests {
    /// Counts what the body tells the connection.
    final class Signals: UpstreamBodyDemand {
        private let counts = Mutex((produceMore: 0, didTerminate: 0))
        var askedForMore: Int { counts.withLock { $0.produceMore } }
        var terminated: Int { counts.withLock { $0.didTerminate } }
        func produceMore() { counts.withLock { $0.produceMore += 1 } }
        func didTerminate() { counts.withLock { $0.didTerminate += 1 } }
    }

    private static func chunk(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// Until the reader has suspended in `next()`, so the test takes the
    /// waiting path whatever the machine's load.
    private static func untilWaiting(_ body: UpstreamBody) async {
        while !body.hasWaitingReader { await Task.yield() }
    }

    @Test func chunksYieldedBeforeReadingAreReadInOrderThenTheEnd() async throws {
        let signals = Signals()
        let body = UpstreamBody(demand: signals)
        #expect(body.source.yield(Self.chunk("a")) == .produceMore)
        #expect(body.source.yield(Self.chunk("b")) == .produceMore)
        body.source.finish()
        var read: [String] = []
        for try await chunk in body { read.append(String(buffer: chunk)) }
        #expect(read == ["a", "b"])
        #expect(signals.askedForMore == 0)
        #expect(signals.terminated == 0, "a body read to its end does not close the connection")
    }

    @Test func aWaitingReaderGetsTheNextChunkAndTheEnd() async throws {
        let body = UpstreamBody(demand: Signals())
        let source = body.source
        let reader = Task {
            var read: [String] = []
            for try await chunk in body { read.append(String(buffer: chunk)) }
            return read
        }
        await Self.untilWaiting(body)
        #expect(source.yield(Self.chunk("x")) == .produceMore)
        await Self.untilWaiting(body)
        #expect(source.yield(Self.chunk("y")) == .produceMore)
        source.finish()
        #expect(try await reader.value == ["x", "y"])
    }

    @Test func theConnectionStopsAtTheHighWatermarkAndReadsAgainUnderTheLowOne() async throws {
        let signals = Signals()
        let body = UpstreamBody(demand: signals)
        let source = body.source
        for index in 1..<UpstreamBody.highWatermark {
            #expect(source.yield(Self.chunk("\(index)")) == .produceMore)
        }
        #expect(source.yield(Self.chunk("\(UpstreamBody.highWatermark)")) == .stopProducing)
        let chunks = body.makeAsyncIterator()
        // Down to the low watermark, nothing is asked; under it, once.
        for _ in 0..<(UpstreamBody.highWatermark - UpstreamBody.lowWatermark) {
            _ = try await chunks.next()
        }
        #expect(signals.askedForMore == 0)
        _ = try await chunks.next()
        #expect(signals.askedForMore == 1)
        _ = try await chunks.next()
        #expect(signals.askedForMore == 1, "asked once until stopped again")
    }

    @Test func aReaderLeavingItsLoopEarlyTellsTheConnectionWhileTheBodyIsStillHeld() async throws {
        let signals = Signals()
        let body = UpstreamBody(demand: signals)
        _ = body.source.yield(Self.chunk("a"))
        _ = body.source.yield(Self.chunk("b"))
        for try await _ in body { break }
        #expect(signals.terminated == 1, "told when the loop is left, not when the body goes")
        #expect(body.source.yield(Self.chunk("c")) == .dropped)
    }

    /// Through `next()`, and through `nextPart()`, which takes a buffered
    /// chunk without waiting.
    @Test(arguments: [false, true])
    func aCancelledReaderGetsNoBufferedChunk(withoutWaiting: Bool) async throws {
        let signals = Signals()
        let body = UpstreamBody(demand: signals)
        _ = body.source.yield(Self.chunk("buffered"))
        let reader = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            var chunks = body.makeAsyncIterator()
            return try await withoutWaiting ? chunks.nextPart() : chunks.next()
        }
        await #expect(throws: CancellationError.self) { try await reader.value }
        #expect(signals.terminated == 1)
    }

    /// What is there is taken without waiting: chunks, then a failure once,
    /// then the end; before anything comes, nothing (and no reader waits).
    @Test func nextNowTakesWhatIsThereAndWaitsForNothing() throws {
        let body = UpstreamBody(demand: Signals())
        let chunks = body.makeAsyncIterator()
        #expect(try chunks.nextNow() == nil)
        #expect(!body.hasWaitingReader)
        _ = body.source.yield(Self.chunk("a"))
        #expect(try chunks.nextNow().map { $0.map { String(buffer: $0) } } == .some("a"))
        #expect(try chunks.nextNow() == nil, "open, with nothing buffered")
        body.source.finish(UpstreamBroke())
        #expect(throws: UpstreamBroke.self) { try chunks.nextNow() }
        #expect(try chunks.nextNow() == .some(nil))
    }

    struct UpstreamBroke: Error {}

    @Test func aFailureComesAfterTheBufferedChunksAndOnce() async throws {
        let body = UpstreamBody(demand: Signals())
        _ = body.source.yield(Self.chunk("a"))
        body.source.finish(UpstreamBroke())
        let chunks = body.makeAsyncIterator()
        #expect(try await chunks.next().map { String(buffer: $0) } == "a")
        await #expect(throws: UpstreamBroke.self) { try await chunks.next() }
        #expect(try await chunks.next() == nil)
    }

    @Test func aWaitingReaderGetsTheFailure() async throws {
        let body = UpstreamBody(demand: Signals())
        let source = body.source
        let reader = Task { try await body.makeAsyncIterator().next() }
        await Self.untilWaiting(body)
        source.finish(UpstreamBroke())
        await #expect(throws: UpstreamBroke.self) { try await reader.value }
    }

    @Test func aCancelledReaderThrowsAndTheConnectionIsToldOnce() async throws {
        let signals = Signals()
        let body = UpstreamBody(demand: signals)
        let source = body.source
        let reader = Task { try await body.makeAsyncIterator().next() }
        await Self.untilWaiting(body)
        reader.cancel()
        await #expect(throws: CancellationError.self) { try await reader.value }
        #expect(signals.terminated == 1)
        #expect(source.yield(Self.chunk("late")) == .dropped)
        await #expect(throws: CancellationError.self) { try await body.makeAsyncIterator().next() }
        #expect(signals.terminated == 1)
    }

    @Test func aBodyDroppedBeforeItsEndTellsTheConnectionAndAfterItDoesNot() {
        let signals = Signals()
        var source: UpstreamBody.Source?
        do {
            let body = UpstreamBody(demand: signals)
            source = body.source
            _ = source?.yield(Self.chunk("unread"))
        }
        #expect(signals.terminated == 1)
        #expect(source?.yield(Self.chunk("more")) == .dropped)

        let finished = Signals()
        do {
            let body = UpstreamBody(demand: finished)
            body.source.finish()
        }
        #expect(finished.terminated == 0)
    }
}
