import ArgumentParser
import Replay

/// `log-replay`: read, filter, export, verify and re-send cassettes.
@main struct LogReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-replay", abstract: "Reads switchboard cassettes (.jsonl.lz4 or .jsonl).",
        subcommands: [Inspect.self, Verify.self, Send.self], defaultSubcommand: Inspect.self)

    /// Parses and runs the command line, after catching a mistyped
    /// subcommand, which the default subcommand would otherwise read as a
    /// path (see ``SubcommandSuggestion``): a usage error, exit 64.
    /// Negative numbers are attached to their options
    /// (``NegativeOptionValues``).
    static func main() async {
        let names = configuration.subcommands.map { $0._commandName }
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let message = SubcommandSuggestion.message(for: arguments, subcommands: names) {
            exit(withError: ValidationError(message))
        }
        await main(NegativeOptionValues.attached(arguments))
    }
}

extension InspectFormat: ExpressibleByArgument {}
extension VerifyLevel: ExpressibleByArgument {}

/// Runs a command body with buffered stdout and stderr, flushed before the
/// process exits with the body's status; with `lineByLine`, stdout is
/// written at the end of each line.
func finish(
    lineByLine: Bool = false, _ body: (inout HandleOutput, inout HandleOutput) async throws -> Int32
) async throws {
    var output = HandleOutput(.standardOutput, flushesEachLine: lineByLine)
    var errors = HandleOutput.standardError
    let status = try await body(&output, &errors)
    output.flush()
    errors.flush()
    if status != 0 { throw ExitCode(status) }
}
