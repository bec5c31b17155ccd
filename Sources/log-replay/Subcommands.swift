import ArgumentParser
import Replay

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Summarise or export exchanges (the default).")
    @Argument(help: "Cassette files or directories (read recursively).") var paths: [String]
    @OptionGroup var filters: FilterOptions
    @Option(
        name: .shortAndLong,
        help: "summary, json, jsonl, curl, har, or cassette (a cassette the other commands read back).")
    var output: InspectFormat = .summary
    @Option(help: "Where curl and HAR requests point (default: the recorded Host).") var baseUrl: String?
    @Option(
        help: ArgumentHelp(
            "With -o cassette: write it to this new file (LZ4 when the name ends in .lz4), not stdout.",
            valueName: "file"))
    var write: String?

    func validate() throws {
        if write != nil, output != .cassette { throw ValidationError("--write needs -o cassette.") }
    }

    func run() async throws {
        let filter = try filters.filter()
        try await finish {
            LogReplayCommands.inspect(
                paths: paths, filter: filter, format: output, baseURL: baseUrl, cassetteFile: write, output: &$0,
                errors: &$1)
        }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run recorded traffic through today's converters, offline, and diff.",
        discussion: """
            Exit status: 0 when everything matches, 1 on any difference, 2 when input cannot be read, 3 when \
            nothing differs but the recording is damaged: a file cut short (its torn tail is listed as TORN) or \
            exchanges with no end line (listed as INCOMPLETE, compared as far as they go, never counted as matched). \
            --update never rewrites a file with a torn tail: it refuses, exit 2, and changes nothing. \
            Ignored by default (volatile): \(VolatileFields.responses.map(\.description).joined(separator: " ")). \
            Exchanges the proxy answered before routing, and endpoints that are not converted, are skipped.
            """)
    @Argument(help: "Cassette files or directories.") var paths: [String]
    @Option(help: "bytes, events (default) or semantic.") var level: VerifyLevel = .events
    @Option(help: "A JSON pointer to skip, added to the volatile defaults; '*' is one segment, '**' any.")
    var ignore: [String] = []
    @Flag(help: "Rewrite the recorded expectations from today's output.") var update = false
    @Option(name: .shortAndLong, help: "text (default) or json.") var output = "text"
    @Flag(name: .shortAndLong, help: "Also list skipped exchanges.") var verbose = false

    func validate() throws {
        if let problem = ignore.lazy.compactMap(JSONPointerPattern.problem).first {
            throw ValidationError("--ignore: \(problem).")
        }
    }

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
        abstract: "Re-send recorded client requests to a live proxy; keys come from ANTHROPIC_API_KEY etc.",
        discussion: """
            Prints each request's new status next to the recorded one, each with "(stream error)" when its \
            stream reported an error (an error event, or an error frame in a Chat or Gemini stream); a line \
            that ends otherwise than recorded is marked "<- differs", and the exit status is then 1.

            Keys come from the environment, never from the cassette: \(CredentialSlot.variablesHelp)
            """)
    @Argument(help: "Cassette files or directories.") var paths: [String]
    @Option(help: "The proxy's base URL.") var to: String
    @OptionGroup var filters: FilterOptions

    func validate() throws {
        if let problem = ReplaySender.problem(target: to) { throw ValidationError("--to: \(problem)") }
    }

    func run() async throws {
        let filter = try filters.filter()
        let sender = ReplaySender(target: to)
        // Each exchange's line as it is answered, also into a file or pipe.
        try await finish(lineByLine: true) {
            await LogReplayCommands.send(paths: paths, filter: filter, sender: sender, output: &$0, errors: &$1)
        }
    }
}
