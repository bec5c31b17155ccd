import ArgumentParser
import Foundation
import Proxy

/// `proxy restart [serve options]`: stop, then start.
struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Stop the background proxy (as `proxy stop` does), then start it again.",
        discussion: """
            It starts with the options the proxy ran with (also after it was stopped, killed or crashed), on \
            the port it was listening on. Options given here are laid over those: each one given replaces the \
            earlier one of the same name (all of a repeatable one's), the others stay; the options used are \
            printed. To drop an earlier option (--record DIR, --no-metrics, --demo...), give --fresh and the \
            options wanted. Put --timeout and --fresh before the serve options.

            Before stopping anything, the new options and the config are checked here, in this environment \
            (a config error, a ${VAR} that is not set, a --record directory that cannot be made or written, \
            OTLP/gRPC asked for): when the proxy could not start, it says why and the running proxy is left \
            running. The port cannot be tried while the running proxy holds it: when another program takes it \
            meanwhile, the start fails after the stop (the options are kept for the next restart).
            """)

    // A negative number reaches validate(), which names the range: see
    // NegativeOptionValues, applied in ProxyCommand.main().
    @Option(help: "Seconds to let running exchanges finish before cancelling them.")
    var timeout: Double = 30

    @Flag(
        help: """
            Start with only the serve options given here (and the host, port and config the proxy ran with, \
            unless given), as `proxy start` would: none of the others it ran with are kept, so this is how to \
            turn one off (--record DIR, --no-metrics, --demo, --redact-header...).
            """)
    var fresh = false

    @Argument(parsing: .captureForPassthrough, help: "Options for `proxy serve`, laid over the previous ones.")
    var serveOptions: [String] = []

    func validate() throws {
        if StartCommand.asksForHelp(serveOptions) { throw CleanExit.helpRequest(self) }
        try StopCommand.validate(timeout: timeout)
        try StartCommand.validateServeOptions(serveOptions)
    }

    func run() async throws {
        let daemon = ProxyDaemon(paths: DaemonPaths())
        let previous = daemon.lastState()
        let options = Self.options(given: serveOptions, previous: previous, fresh: fresh)
        // Relative paths in options kept by an older version mean what they
        // meant where it started (newer ones keep absolute paths).
        if serveOptions.isEmpty, let directory = previous?.workingDirectory,
            !FileManager.default.changeCurrentDirectoryPath(directory)
        {
            StartCommand.printError("note: cannot enter \(directory); relative paths are read from here")
        }
        try Self.checkBeforeStopping(options, daemon: daemon)
        if previous != nil {
            StartCommand.printError("note: starting with: \(options.joined(separator: " "))")
        }
        try await StopCommand.stop(daemon, timeout: timeout)
        try await StartCommand.start(daemon, serveOptions: options)
    }

    /// The options to start with: `given` laid over the ones `previous` ran
    /// with (see ``ServeOptionList/merging(_:)``), or when `fresh`, over its
    /// address (clients keep the URL they were given) and its config (a
    /// fresh start on the default config sent every model elsewhere).
    static func options(given: [String], previous: DaemonState?, fresh: Bool = false) -> [String] {
        guard let previous else { return given }
        var kept = ServeOptionList(previous.arguments)
        if fresh { kept = kept.keepingOnly(["--host", "--port", "--config"]) }
        return kept.merging(ServeOptionList(given)).arguments
    }

    /// Refuses, leaving the running proxy alone, when the new one could not
    /// start: stopping first left users with no proxy at all.
    static func checkBeforeStopping(_ options: [String], daemon: ProxyDaemon) throws {
        let running: String
        if case .running(let state) = daemon.lookup() {
            running = " The running proxy (pid \(state.pid)) is left running."
        } else {
            running = ""
        }
        // The kept options lack the secret (see DaemonState.redactingURLs),
        // and a proxy started with them could not authenticate.
        if options.contains(where: { $0.contains("[redacted:") }) {
            StartCommand.printError(
                "error: the proxy's options have a URL with a password or key, which proxy.json does not "
                    + "keep; give that option to `proxy restart` again: proxy restart "
                    + options.joined(separator: " ") + running)
            throw ExitCode.failure
        }
        do {
            try StartCommand.validateServeOptions(options)
        } catch {
            StartCommand.printError("error: \(error)\(running)")
            throw ExitCode.failure
        }
        if let problem = (try? ServeCommand.parse(options))?.startupProblem() {
            StartCommand.printError("error: the proxy could not start with these options here: \(problem)\(running)")
            throw ExitCode.failure
        }
    }
}
