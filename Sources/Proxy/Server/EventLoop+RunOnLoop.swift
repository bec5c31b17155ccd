import NIOCore

extension EventLoop {
    /// Runs `body` on this loop: at once when already there (no extra loop
    /// turn), else queued with `execute`. How the connection's task reaches
    /// its ``RequestIntakeHandler`` and ``IntakeBody``, which live on the
    /// loop and which it mostly calls from the loop.
    func runOnLoop(_ body: @escaping @Sendable () -> Void) {
        if inEventLoop {
            body()
        } else {
            execute(body)
        }
    }
}
