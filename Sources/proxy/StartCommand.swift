import ArgumentParser
import Foundation
import Proxy

/// `proxy start [serve options]`: `proxy serve` in the background.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run `proxy serve` in the background; return once it listens.",
        discussion: """
            Takes the options of `proxy serve` (see `proxy serve --help`), for example:

              proxy start --port 8082 --record ~/cassettes

            and prints the ANTHROPIC_BASE_URL line once the server listens. Its output goes to \
            $XDG_STATE_HOME/switchboard/proxy.log (else ~/.local/state/switchboard/proxy.log), appended to; \
            proxy.json beside it describes the running server for `proxy status`, `stop` and `restart`.

            Refuses when one is running already (there is one per state directory). When the server cannot \
            start (a config error, a port in use), the exit status is 1 and the end of its log says why.
            """)

    @Argument(parsing: .captureForPassthrough, help: "Options for `proxy serve`.")
    var serveOptions: [String] = []

    func validate() throws {
        if Self.asksForHelp(serveOptions) { throw CleanExit.helpRequest(self) }
        try Self.validateServeOptions(serveOptions)
    }

    /// Passed-through options swallow `--help` too; it still means this
    /// command's help.
    static func asksForHelp(_ options: [String]) -> Bool {
        options.contains { ["-h", "--help", "-help"].contains($0) }
    }

    func run() async throws {
        let daemon = ProxyDaemon(paths: DaemonPaths())
        try await Self.start(daemon, serveOptions: serveOptions)
    }

    /// Checks serve's options here, so a typo is refused before anything
    /// starts, with serve's own message.
    static func validateServeOptions(_ options: [String]) throws {
        do {
            _ = try ServeCommand.parse(options)
        } catch {
            throw ValidationError("for `proxy serve`: \(ServeCommand.message(for: error))")
        }
        if options.contains(where: { $0 == DaemonState.serveOption || $0.hasPrefix(DaemonState.serveOption + "=") }) {
            throw ValidationError("\(DaemonState.serveOption) is set by `proxy start` itself.")
        }
    }

    /// Starts the server and prints where it listens; exits 1 when it
    /// could not start.
    static func start(_ daemon: ProxyDaemon, serveOptions: [String]) async throws {
        let state: DaemonState
        do {
            state = try await daemon.start(serveArguments: serveOptions) { printError($0) }
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        print(
            """
            Switchboard proxy started in the background (pid \(state.pid)), listening on \(Banner.listenURL(host: state.host, port: state.port))
            Log: \(state.logFile)
            Connect Claude Code with:
            ANTHROPIC_BASE_URL=\(state.address)
            """)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
