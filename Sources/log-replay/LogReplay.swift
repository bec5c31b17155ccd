import ArgumentParser
import Replay

/// `log-replay`: read, filter, export, verify and re-send cassettes.
@main struct LogReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-replay", abstract: "Reads switchboard cassettes (.jsonl.lz4 or .jsonl).",
        subcommands: [Inspect.self, Verify.self, Send.self], defaultSubcommand: Inspect.self)
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
