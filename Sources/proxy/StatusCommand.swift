import ArgumentParser
import Proxy

/// `proxy status`: is the background proxy running, and how.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the background proxy: pid, address, uptime, version, config, log and recording.",
        discussion: """
            Exit status 0 when it runs, 3 when it does not (as `systemctl status` does). A state file left by a \
            proxy that died is removed, with a note.
            """)

    func run() async throws {
        let daemon = ProxyDaemon(paths: DaemonPaths())
        switch daemon.lookup() {
        case .running(let state):
            print((["Switchboard proxy is running."] + state.summaryLines().map { "  " + $0 }).joined(separator: "\n"))
        case .stale(let state):
            StartCommand.printError(daemon.removeStale(state))
            print("Switchboard proxy is not running.")
            throw ExitCode(3)
        case .notRunning:
            print("Switchboard proxy is not running.")
            throw ExitCode(3)
        }
    }
}
