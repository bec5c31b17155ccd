import TestSupport
import Testing

/// `.cpuBound` moves an async test off Swift concurrency's shared pool,
/// onto ``OwnThreadsExecutor/cpuBound`` (issue 14's stalled servers).
@Suite struct CPUBoundTraitTests {
    /// Synchronous: reads the thread without a hop in between.
    static func onOwnThread() -> Bool { OwnThreadsExecutor.cpuBound.isCurrent }

    @Test(.cpuBound) func aCPUBoundTestRunsOnTheOwnThreadsFromItsFirstLine() async {
        #expect(Self.onOwnThread())
    }

    @Test func anyOtherTestRunsOnTheSharedPool() async {
        // The control: without the trait the check above fails.
        #expect(!Self.onOwnThread())
    }

    @Test func childTasksStayOnTheOwnThreads() async {
        let placed = await OwnThreadsExecutor.cpuBound.run {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { Self.onOwnThread() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(placed == [true, true, true, true])
    }
}
