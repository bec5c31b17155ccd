import NIOConcurrencyHelpers

/// One client TCP connection, as far as a running exchange cares: whether
/// the client has gone away.
///
/// A client that hangs up must not leave its upstream request running (and
/// billing). Hummingbird runs a connection's requests, response bodies
/// included, in one task, so cancelling that task while an exchange runs
/// cancels the upstream request through ``UpstreamClient``'s cancellation,
/// wherever the exchange is waiting: for the upstream's head, or for its next
/// chunk.
final class ClientConnection: Sendable {
    /// The task running the current exchange. It is only touched under the
    /// lock, and removed under the lock before `cancellingOnHangup` returns,
    /// so it is never used after that task has moved on.
    private struct RunningTask: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    private struct State {
        var hungUp = false
        var serverStopping = false
        var timedOutAfter: Duration?
        var running: RunningTask?
    }

    private let state = NIOLockedValueBox(State())

    /// Whether the client has closed its side of the connection.
    var hasHungUp: Bool { state.withLockedValue { $0.hungUp } }

    /// Whether the connection's task was cancelled while the client was
    /// still there: the server is stopping. Set before the proxy closes the
    /// connection's input itself, which then reads as a hang-up too.
    var isServerStopping: Bool { state.withLockedValue { $0.serverStopping } }

    /// How long the client had sent or read nothing when the proxy closed
    /// its connection (`--header-timeout`); nil unless the proxy did so. The
    /// close then reads as a hang-up too, but the client did not cancel.
    var timedOutAfter: Duration? { state.withLockedValue { $0.timedOutAfter } }

    /// The pipeline event the intake fires when the connection's task is
    /// cancelled, just before it closes the connection's input.
    struct Cancelled: Sendable {}

    /// The pipeline event the intake fires when it closes a connection whose
    /// client sent (or read) nothing for `timeout`, just before the close.
    struct TimedOut: Sendable {
        var timeout: Duration
    }

    /// The client sent or read nothing for `timeout`, and its connection is
    /// being closed.
    func timedOut(after timeout: Duration) {
        state.withLockedValue { $0.timedOutAfter = timeout }
    }

    /// The connection's task was cancelled: by the client's hang-up (marked
    /// first), else by the server stopping.
    func cancelled() {
        state.withLockedValue { state in
            if !state.hungUp { state.serverStopping = true }
        }
    }

    /// Runs `operation`; if the client hangs up meanwhile (or already has),
    /// the task running it is cancelled.
    ///
    /// `@concurrent`, as `async` functions were before our targets ran
    /// nonisolated ones on their caller's executor: the streamed answer's
    /// operation takes Hummingbird's body writer `inout`, which may only
    /// be handed to the writer's (concurrent) methods from a concurrent
    /// function.
    @concurrent func cancellingOnHangup<T>(_ operation: @concurrent () async throws -> T) async rethrows -> T {
        withUnsafeCurrentTask { task in
            guard let task else { return }
            state.withLockedValue { state in
                if state.hungUp {
                    task.cancel()
                } else {
                    state.running = RunningTask(task: task)
                }
            }
        }
        defer { state.withLockedValue { $0.running = nil } }
        return try await operation()
    }

    /// Called from the channel when the client closes (EOF or reset).
    func clientHungUp() {
        state.withLockedValue { state in
            state.hungUp = true
            state.running?.task.cancel()
            state.running = nil
        }
    }
}
