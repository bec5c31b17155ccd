import Logging
import ServiceLifecycle

/// Runs a server in a `ServiceGroup` until it reports the port it listens
/// on, hands that port to a body, then shuts the group down gracefully,
/// whether the body returned or threw. The proxy, the stub upstream and the
/// tests' stub servers all start this way (port 0 in tests), so the dance of
/// a port stream, a task group and the shutdown is written once.
public struct ListeningServiceRunner: Sendable {
    /// The group's logger.
    public var logger: Logger
    /// How long a graceful shutdown may take before what still runs is
    /// cancelled; nil waits for it to end (a server whose handlers always
    /// finish). A stub whose replies may stall writing to a caller that
    /// does not read needs the bound.
    public var shutdownGrace: Duration?

    /// The server stopped before it reported a port (it could not bind, or
    /// the task was cancelled); the group's own error, if it threw one, is
    /// thrown instead.
    public struct NotListening: Error, CustomStringConvertible {
        public var description: String { "the server stopped before it was listening" }
    }

    /// A runner logging to `logger`, cancelling a shutdown after
    /// `shutdownGrace` when one is given.
    public init(logger: Logger, shutdownGrace: Duration? = nil) {
        self.logger = logger
        self.shutdownGrace = shutdownGrace
    }

    /// Runs the service `makeService` builds (it calls the handler it is
    /// given with the bound port once listening), runs `body` with that
    /// port, then shuts the service down and returns `body`'s result or
    /// rethrows its error.
    public func withRunning<Result>(
        _ makeService: (_ onListening: @escaping @Sendable (Int) async -> Void) -> any Service,
        _ body: (_ port: Int) async throws -> Result
    ) async throws -> Result {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let service = makeService { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portContinuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.waitForAll()
                throw NotListening()
            }
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body(port))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            if let shutdownGrace {
                tasks.addTask { try await Task.sleep(for: shutdownGrace) }
                _ = try? await tasks.next()
                tasks.cancelAll()
                try? await tasks.waitForAll()
            } else {
                try await tasks.waitForAll()
            }
            return try result.get()
        }
    }
}
