import Testing

/// Runs a test that computes for long on ``OwnThreadsExecutor/cpuBound``
/// rather than on Swift concurrency's shared pool, where the in-process
/// servers of the other tests run.
///
/// The test must be `async`: a synchronous test body is entered without a
/// hop and stays on the pool thread that started it (seen: it ran on
/// `com.apple.root.default-qos`); an `async` one, called through the
/// scope's `@concurrent` closure, moves to the preferred executor as it
/// starts.
public struct CPUBoundTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @concurrent @Sendable () async throws -> Void
    ) async throws {
        // A suite gets no scope of its own; its test cases do.
        guard testCase != nil else { return try await function() }
        try await OwnThreadsExecutor.cpuBound.run(function)
    }
}

extension Trait where Self == CPUBoundTrait {
    /// The test computes for long: run it off the shared pool.
    public static var cpuBound: Self { CPUBoundTrait() }
}
