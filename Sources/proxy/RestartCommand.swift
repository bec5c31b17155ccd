import ArgumentParser
import Proxy

/// `proxy restart [serve options]`: stop, then start.
struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Stop the background proxy (as `proxy stop` does), then start it again.",
        discussion: """
            With no `proxy serve` options, it starts with the options it ran with; with some, with those \
            instead. Put --timeout before them. Starts one when none was running.
            """)

    @Option(help: "Seconds to let running exchanges finish before cancelling them.")
    var timeout: Double = 30

    @Argument(parsing: .captureForPassthrough, help: "Options for `proxy serve` (default: the previous ones).")
    var serveOptions: [String] = []

    func validate() throws {
        if StartCommand.asksForHelp(serveOptions) { throw CleanExit.helpRequest(self) }
        guard timeout >= 0 else { throw ValidationError("--timeout must be 0 or more.") }
        try StartCommand.validateServeOptions(serveOptions)
    }

    func run() async throws {
        let daemon = ProxyDaemon(paths: DaemonPaths())
        let previous = try await StopCommand.stop(daemon, timeout: timeout)
        let options = serveOptions.isEmpty ? previous?.arguments ?? [] : serveOptions
        try await StartCommand.start(daemon, serveOptions: options)
    }
}
