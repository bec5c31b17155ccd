import ArgumentParser
import Replay

/// `log-replay`: read, filter, export, verify and re-send cassettes.
@main struct LogReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-replay", abstract: "Reads switchboard cassettes (.jsonl.lz4 or .jsonl).",
        subcommands: [Inspect.self, Verify.self, Send.self], defaultSubcommand: Inspect.self)
}

/// The filters every reading subcommand takes.
struct FilterOptions: ParsableArguments {
    @Flag(help: "Only failures: client status >= 400, an error line, or a stream that carried an error event.")
    var errorsOnly = false
    @Option(help: "Only this exchange id (the request-id the client saw).") var requestId: String?
    @Option(help: "Only this client path, e.g. /v1/messages ('*' matches anything).") var endpoint: String?
    @Option(help: "Only this requested model ('*' matches anything).") var model: String?
    @Option(help: "Only this client status, e.g. 429 or 5xx.") var status: String?
    @Option(
        help:
            "Only exchanges since an ISO 8601 time (2026-11-21T08:00:00Z, or a date) or a span back: 90s, 10m, 2h, 7d.")
    var since: String?

    func filter() throws -> ExchangeFilter {
        let sinceDate = try since.map { text in
            guard let date = ReplayTime.parseSince(text) else {
                throw ValidationError("--since: cannot read '\(text)'")
            }
            return date
        }
        return ExchangeFilter(
            errorsOnly: errorsOnly, requestID: requestId, endpoint: endpoint, model: model, status: status,
            since: sinceDate)
    }
}

extension InspectFormat: ExpressibleByArgument {}
extension VerifyLevel: ExpressibleByArgument {}

/// Runs a command body with buffered stdout and stderr, flushed before the
/// process exits with the body's status.
func finish(_ body: (inout HandleOutput, inout HandleOutput) async throws -> Int32) async throws {
    var output = HandleOutput.standardOutput
    var errors = HandleOutput.standardError
    let status = try await body(&output, &errors)
    output.flush()
    errors.flush()
    if status != 0 { throw ExitCode(status) }
}

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Summarise or export exchanges (the default).")
    @Argument(help: "Cassette files or directories (read recursively).") var paths: [String]
    @OptionGroup var filters: FilterOptions
    @Option(name: .shortAndLong, help: "summary, json, jsonl, curl or har.") var output: InspectFormat = .summary
    @Option(help: "Where curl and HAR requests point (default: the recorded Host).") var baseUrl: String?

    func run() async throws {
        let filter = try filters.filter()
        try await finish {
            LogReplayCommands.inspect(
                paths: paths, filter: filter, format: output, baseURL: baseUrl, output: &$0, errors: &$1)
        }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Re-run recorded traffic through today's converters, offline, and diff. Exit 0 match, 1 differ, 2 unreadable."
    )
    @Argument(help: "Cassette files or directories.") var paths: [String]
    @Option(help: "bytes, events (default) or semantic.") var level: VerifyLevel = .events
    @Option(help: "A JSON pointer to skip, added to the volatile defaults; '*' is one segment, '**' any.")
    var ignore: [String] = []
    @Flag(help: "Rewrite the recorded expectations from today's output.") var update = false
    @Option(name: .shortAndLong, help: "text (default) or json.") var output = "text"
    @Flag(name: .shortAndLong, help: "Also list skipped exchanges.") var verbose = false

    func run() async throws {
        let verifier = ExchangeVerifier(
            level: level, ignoring: VolatileFields.responses + ignore.map(JSONPointerPattern.init))
        try await finish {
            LogReplayCommands.verify(
                paths: paths, verifier: verifier, update: update, json: output == "json", verbose: verbose,
                output: &$0, errors: &$1)
        }
    }
}

struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-send recorded client requests to a live proxy; keys come from ANTHROPIC_API_KEY etc.")
    @Argument(help: "Cassette files or directories.") var paths: [String]
    @Option(help: "The proxy's base URL.") var to: String
    @OptionGroup var filters: FilterOptions

    func run() async throws {
        let filter = try filters.filter()
        let sender = ReplaySender(target: to)
        try await finish {
            await LogReplayCommands.send(paths: paths, filter: filter, sender: sender, output: &$0, errors: &$1)
        }
    }
}
