import ArgumentParser
import Foundation
import Proxy

/// `proxy restart [serve options]`: stop, then start.
struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Stop the background proxy (as `proxy stop` does), then start it again.",
        discussion: """
            With no `proxy serve` options, it starts with the options it ran with (relative paths read from \
            the directory it was started in); with some, with those instead. Put --timeout before them. \
            Starts one when none was running.
            """)

    @Option(help: "Seconds to let running exchanges finish before cancelling them.")
    var timeout: Double = 30

    @Argument(parsing: .captureForPassthrough, help: "Options for `proxy serve` (default: the previous ones).")
    var serveOptions: [String] = []

    func validate() throws {
        if StartCommand.asksForHelp(serveOptions) { throw CleanExit.helpRequest(self) }
        try StopCommand.validate(timeout: timeout)
        try StartCommand.validateServeOptions(serveOptions)
    }

    func run() async throws {
        let daemon = ProxyDaemon(paths: DaemonPaths())
        // Checked before stopping: the recorded options lack the secret
        // (see DaemonState.redactingURLs), and a restart with them would
        // start a server that cannot authenticate.
        if serveOptions.isEmpty, case .running(let running) = daemon.lookup(), running.argumentsAreRedacted {
            StartCommand.printError(
                "error: the running proxy's options have a URL with a password or key, which proxy.json does not "
                    + "keep; give them to `proxy restart` again: proxy restart "
                    + running.arguments.joined(separator: " "))
            throw ExitCode.failure
        }
        let previous = try await StopCommand.stop(daemon, timeout: timeout)
        guard serveOptions.isEmpty, let previous else {
            return try await StartCommand.start(daemon, serveOptions: serveOptions)
        }
        // The previous options' relative paths mean what they meant then.
        if let directory = previous.workingDirectory, !FileManager.default.changeCurrentDirectoryPath(directory) {
            StartCommand.printError("note: cannot enter \(directory); relative paths are read from here")
        }
        try await StartCommand.start(daemon, serveOptions: previous.arguments)
    }
}
