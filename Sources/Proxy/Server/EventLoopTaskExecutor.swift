import NIOCore

/// Runs a task's jobs on one event loop: the loop of the client connection
/// the task serves (see ``ExchangeChannel``).
///
/// Hummingbird runs each connection in a task on Swift's global pool, so
/// every await on NIO (the request's parts, the upstream's answer on a
/// connection pooled on the same loop, each write) wakes the task on
/// another thread and back: 22 syscalls a small request, 7 of them
/// futexes. Run on the loop, a resumed task continues on the thread that
/// resumed it, and writes go straight into the pipeline: 8 syscalls, no
/// futex.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// The loop must outlive the task: a job handed to a loop that has shut
    /// down is dropped and the task never resumes. The server's loops are
    /// NIO's singleton group, which is never shut down.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
