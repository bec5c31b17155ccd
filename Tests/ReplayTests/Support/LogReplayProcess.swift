import Foundation
import TestSupport
import Testing

/// Runs the built `log-replay` with `arguments`, as a user would (a bare
/// PATH, a scratch HOME), and waits for it to end.
func runLogReplay(_ arguments: [String]) async throws -> ChildProcess {
    let child = try await ChildProcess(
        ChildProcess.builtExecutable("log-replay"), arguments: arguments,
        environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()])
    let ending = await child.waitForEnding()
    child.killIfRunning()
    #expect(ending != nil, "log-replay \(arguments) did not finish")
    return child
}
