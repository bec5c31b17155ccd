import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// A task executor with threads of its own, outside Swift concurrency's
/// shared pool, for the suite's CPU-bound tests (see ``CPUBoundTrait``).
///
/// The shared pool has one thread per core. Tests that compute for tens of
/// seconds (every split of every SSE fixture, whole-corpus exports) held
/// every thread of it at once when the suite ran in parallel on two cores,
/// and the in-process proxies of other tests then answered nothing until
/// they finished: a client's 30 s deadline passed with nothing slow in the
/// proxy (issue 14's flaky `FallbackRecordingTests`). On threads of their
/// own, the operating system shares the cores between them and the pool,
/// and the servers, which start each connection's task on the pool (as in
/// production, before it moves to its event loop), keep answering.
public final class OwnThreadsExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor the CPU-bound tests share: a thread per core, so that
    /// they do not slow each other down more than the cores do.
    public static let cpuBound = OwnThreadsExecutor(
        threads: ProcessInfo.processInfo.activeProcessorCount, name: "cpu-bound")

    /// The executor's threads, as they registered themselves.
    private let threadIDs = NIOLockedValueBox<Set<pthread_t>>([])
    /// Guards `jobs`; its condition wakes an idle thread.
    private let condition = NSCondition()
    /// Jobs waiting for a thread, oldest first. Touched only under `condition`.
    private var jobs = CircularBuffer<UnownedJob>()

    /// An executor of `threads` threads, named `name-0`, `name-1`, … for
    /// debuggers, that live as long as the process.
    public init(threads: Int, name: String) {
        for number in 0..<max(threads, 1) {
            let thread = Thread { [self] in
                threadIDs.withLockedValue { _ = $0.insert(pthread_self()) }
                work()
            }
            thread.name = name + "-" + String(number)
            thread.start()
        }
    }

    /// True when the caller runs on one of this executor's threads: for
    /// tests that check the preference reaches where it should. (By thread
    /// id: Foundation's thread names were seen not to stick on Linux.)
    public var isCurrent: Bool { threadIDs.withLockedValue { $0.contains(pthread_self()) } }

    /// Runs `body` preferring this executor's threads; so do the child
    /// tasks it starts (not unstructured `Task {}`s). `body` is
    /// `@concurrent` so that it moves there as it starts, rather than at
    /// its first suspension as a function running on its caller's executor
    /// would.
    public func run<T>(_ body: @concurrent () async throws -> T) async rethrows -> T {
        try await withTaskExecutorPreference(self) { try await body() }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// A thread's loop: run jobs as they come, forever.
    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
