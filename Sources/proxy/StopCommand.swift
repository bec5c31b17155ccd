import ArgumentParser
import Proxy

/// `proxy stop`: drains and stops the background proxy.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the background proxy: running exchanges finish first; waits until it has exited.",
        discussion: """
            Sends SIGTERM: the proxy stops accepting connections, lets running exchanges (streams too) finish, \
            closes its cassette and exits. Exchanges still running after --timeout seconds are cancelled \
            (SIGQUIT): their clients get 503 overloaded_error, "the proxy is shutting down", which SDKs retry \
            (a stream, that error as its last frame). A proxy still there 10 s later is killed.

            Exit status 0 when it has stopped or was not running, 1 when it had to be killed.
            """)

    // A negative number reaches validate(), which names the range: see
    // NegativeOptionValues, applied in ProxyCommand.main().
    @Option(help: "Seconds to let running exchanges finish before cancelling them.")
    var timeout: Double = 30

    func validate() throws {
        try Self.validate(timeout: timeout)
    }

    /// `--timeout` of `stop` and `restart`: at most a day (a larger one
    /// trapped made milliseconds, and `inf` passed a check of `>= 0`).
    static func validate(timeout: Double) throws {
        guard (0...86_400).contains(timeout) else { throw ValidationError("--timeout must be 0 to 86400 seconds.") }
    }

    func run() async throws {
        let daemon = ProxyDaemon(paths: DaemonPaths())
        try await Self.stop(daemon, timeout: timeout)
    }

    /// Stops the proxy and says how; the state it had, if it ran.
    @discardableResult
    static func stop(_ daemon: ProxyDaemon, timeout: Double) async throws -> DaemonState? {
        let outcome = await daemon.stop(drainLimit: .milliseconds(Int(timeout * 1000))) {
            StartCommand.printError($0)
        }
        switch outcome {
        case .notRunning:
            print("Switchboard proxy is not running.")
            return nil
        case .drained(let state):
            print("Stopped the Switchboard proxy (pid \(state.pid)); every running exchange finished.")
            return state
        case .cancelled(let state):
            print("Stopped the Switchboard proxy (pid \(state.pid)); exchanges still running were cancelled.")
            return state
        case .killed(let state):
            StartCommand.printError("error: the Switchboard proxy (pid \(state.pid)) did not stop; it was killed.")
            throw ExitCode.failure
        }
    }
}
