import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// The `log-replay` executable as a user runs it (README, Reading
/// cassettes): its options, and "a missing file, a file that is not a
/// cassette ... is a one-line error and a non-zero exit" (1; 2 for
/// `verify`), while a file cut short is read up to its last whole block.
@Suite struct LogReplayCommandLineTests {
    private static func errorLines(_ child: ChildProcess) -> [Substring] {
        child.standardError.split(separator: "\n")
    }

    @Test(arguments: [[], ["verify"]])
    func unreadableInputIsAOneLineErrorAndANonZeroExit(subcommand: [String]) async throws {
        let files = try BadCassettes()
        defer { files.remove() }
        let expectedStatus: Int32 = subcommand.isEmpty ? 1 : 2
        for path in [files.missing, files.plainText, files.randomBytes, files.damaged] {
            let child = try await runLogReplay(subcommand + [path])
            #expect(child.ending == .exited(expectedStatus), "\(subcommand) \(path): \(child.standardError)")
            let lines = Self.errorLines(child)
            #expect(lines.count == 1, "\(path): \(child.standardError)")
            #expect(lines.first?.contains(URL(filePath: path).lastPathComponent) == true, "\(lines)")
            #expect(child.standardOutput.isEmpty, "\(child.standardOutput)")
        }
    }

    /// A directory holding no cassette is a wrong path, not a recording of
    /// nothing: one line naming it, and a non-zero exit.
    @Test(arguments: [[], ["verify"]])
    func aDirectoryWithoutCassettesIsAnErrorNamingIt(subcommand: [String]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-empty-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("not a cassette".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let child = try await runLogReplay(subcommand + [directory.path])
        #expect(child.ending == .exited(subcommand.isEmpty ? 1 : 2), "\(child.standardError)")
        let lines = Self.errorLines(child)
        #expect(lines.count == 1, "\(child.standardError)")
        #expect(lines.first?.contains(directory.path) == true && lines.first?.contains("no cassettes") == true)
        #expect(!child.standardOutput.contains("0 exchanges"), "\(child.standardOutput)")
    }

    @Test func aCassetteCutShortIsReadUpToItsLastWholeBlock() async throws {
        let files = try BadCassettes()
        defer { files.remove() }
        let whole = try await runLogReplay([files.whole, "-o", "jsonl"])
        #expect(whole.ending == .exited(0))
        let cut = try await runLogReplay([files.truncated, "-o", "jsonl"])
        #expect(cut.ending == .exited(0), "\(cut.standardError)")
        let wholeLines = whole.standardOutput.split(separator: "\n")
        let cutLines = cut.standardOutput.split(separator: "\n")
        #expect(!cutLines.isEmpty && cutLines.count < wholeLines.count, "\(cutLines.count) of \(wholeLines.count)")
        #expect(Array(wholeLines.prefix(cutLines.count)) == cutLines)
        let summary = try await runLogReplay([files.truncated])
        #expect(summary.ending == .exited(0))
        #expect(summary.standardOutput.lowercased().contains("torn tails:"), "\(summary.standardOutput)")
        #expect(summary.standardOutput.contains("incomplete LZ4 block"), "\(summary.standardOutput)")
    }

    @Test func filtersAndOutputsDoWhatTheirNamesSay() async throws {
        let corpus = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let jsonl = try await runLogReplay([corpus, "-o", "jsonl"])
        #expect(jsonl.ending == .exited(0))
        let lines = try jsonl.standardOutput.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        let ids = Set(lines.compactMap { $0["x"]?.stringValue })
        #expect(ids.count >= 2, "\(ids)")
        let id = try #require(ids.sorted().first)

        let one = try await runLogReplay([corpus, "--request-id", id, "-o", "json"])
        #expect(one.ending == .exited(0))
        #expect(one.standardOutput.contains(id))
        #expect(!ids.subtracting([id]).contains { one.standardOutput.contains($0) })

        let har = try await runLogReplay([corpus, "-o", "har"])
        let harJSON = try JSONValue(parsing: Array(har.standardOutput.utf8))
        #expect(harJSON["log"]?["version"] == "1.2")
        #expect(harJSON["log"]?["entries"]?.arrayValue?.count == ids.count)

        let curl = try await runLogReplay([corpus, "-o", "curl"])
        #expect(curl.standardOutput.contains("curl "))
        #expect(curl.standardOutput.contains("$ANTHROPIC_API_KEY"))

        // The corpus session has no errors and every status is 200.
        let errorsOnly = try await runLogReplay([corpus, "--errors-only", "-o", "jsonl"])
        #expect(errorsOnly.ending == .exited(0))
        #expect(errorsOnly.standardOutput.isEmpty, "\(errorsOnly.standardOutput)")
        let serverErrors = try await runLogReplay([corpus, "--status", "5xx", "-o", "jsonl"])
        #expect(serverErrors.standardOutput.isEmpty)
        let ok = try await runLogReplay([corpus, "--status", "200", "-o", "jsonl"])
        #expect(ok.standardOutput == jsonl.standardOutput)

        let verify = try await runLogReplay(["verify", corpus, "--level", "semantic", "-o", "json"])
        #expect(verify.ending == .exited(0), "\(verify.standardError)")
        #expect(try JSONValue(parsing: Array(verify.standardOutput.utf8)).objectValue != nil)
    }

    @Test(arguments: [
        ["-o", "xml"], ["--status", "abc"], ["--status", "4x"], ["--status", "999"], ["--since", "yesterday-ish"],
        ["verify", "--level", "vibes"],
        ["--no-such-option"],
    ])
    func aMistypedOptionIsRefusedWithExit64(arguments: [String]) async throws {
        let corpus = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let child = try await runLogReplay(arguments + [corpus])
        #expect(child.ending == .exited(64), "\(arguments): \(child.standardError)")
        #expect(!child.standardError.isEmpty)
    }

    /// `send --to notaurl` sent every exchange and printed
    /// `HTTPClientError.emptyScheme` for each: the URL is checked first.
    @Test(arguments: ["notaurl", "127.0.0.1:8082", "ftp://host/", "http://"])
    func aMalformedSendTargetIsRefusedWithExit64(target: String) async throws {
        let corpus = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let child = try await runLogReplay(["send", corpus, "--to", target])
        #expect(child.ending == .exited(64), "\(target): \(child.standardError)")
        #expect(
            child.standardError.contains("--to: '\(target)' is not an http:// or https:// URL"),
            "\(child.standardError)")
        #expect(child.standardOutput.isEmpty, "\(child.standardOutput)")
    }

    /// A slip in the subcommand's name is named as one, not reported as a
    /// missing file or an unknown option of the default subcommand.
    @Test(arguments: [
        (["verfy", "cassettes/"], "verify"), (["sned", "cassettes/", "--to", "http://127.0.0.1:1"], "send"),
        (["inspcet", "cassettes/"], "inspect"),
    ])
    func aMistypedSubcommandIsSuggested(arguments: [String], meant: String) async throws {
        let child = try await runLogReplay(arguments)
        #expect(child.ending == .exited(64), "\(child.standardError)")
        #expect(child.standardError.contains("Did you mean `\(meant)`?"), "\(child.standardError)")
        #expect(child.standardOutput.isEmpty, "\(child.standardOutput)")
    }

    /// An existing file or directory of that name is read, not second-guessed.
    @Test func anExistingPathIsNotTakenForASubcommand() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-suggest-\(UUID())")
        let verfy = directory.appendingPathComponent("verfy").path
        try FileManager.default.createDirectory(atPath: verfy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = ["inspect", "verify", "send"]
        #expect(SubcommandSuggestion.message(for: [verfy], subcommands: names) == nil)
        #expect(SubcommandSuggestion.message(for: ["verify", "x"], subcommands: names) == nil)
        #expect(SubcommandSuggestion.message(for: ["--errors-only", "verfy"], subcommands: names) == nil)
        #expect(SubcommandSuggestion.message(for: ["rec"], subcommands: names) == nil)
        #expect(
            SubcommandSuggestion.message(for: ["verfy"], subcommands: names)?.hasSuffix("Did you mean `verify`?")
                == true)
    }

    /// A value starting with `-` reaches the filter's own check, which says
    /// what it cannot read; it was taken for an option ("Missing value").
    @Test(arguments: [
        (["--since", "-2h"], "--since: cannot read '-2h'"), (["--status", "-1"], "--status: cannot read '-1'"),
    ])
    func aNegativeFilterValueReachesItsCheck(arguments: [String], message: String) async throws {
        try await Self.expectUsageError(arguments, saying: message, notSaying: "Missing value")
    }

    /// A filter option followed by another option has no value: it says so,
    /// rather than taking the next option as its value.
    @Test(arguments: [
        (["--status", "--errors-only"], "Missing value for '--status <status>'"),
        (["--since", "--model", "m"], "Missing value for '--since <since>'"),
    ])
    func aFilterOptionWithoutAValueSaysItIsMissing(arguments: [String], message: String) async throws {
        try await Self.expectUsageError(arguments, saying: message, notSaying: "is invalid")
    }

    /// Runs `log-replay` on a corpus cassette with `arguments` and expects a
    /// usage error (exit 64) whose standard error holds `message` and not `wrong`.
    private static func expectUsageError(
        _ arguments: [String], saying message: String, notSaying wrong: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let corpus = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let child = try await runLogReplay([corpus] + arguments)
        await child.expectUsageError(saying: message, notSaying: wrong, sourceLocation: sourceLocation)
    }

    /// What ``NegativeOptionValues`` does to a command line: a negative
    /// number after a long option is attached to it; nothing else changes.
    @Test func negativeNumbersAreAttachedToTheOptionBeforeThem() {
        let attach = NegativeOptionValues.attached
        #expect(attach(["--port", "-1", "--speed", "-.5"]) == ["--port=-1", "--speed=-.5"])
        #expect(attach(["--since", "-2h", "x"]) == ["--since=-2h", "x"])
        #expect(attach(["--port", "--config", "x.yaml"]) == ["--port", "--config", "x.yaml"])
        #expect(attach(["--port=-1", "-5"]) == ["--port=-1", "-5"])
        #expect(attach(["-p", "-1", "--", "--port", "-1"]) == ["-p", "-1", "--", "--port", "-1"])
        #expect(attach(["--port"]) == ["--port"])
        #expect(attach(["--port", "-x"]) == ["--port", "-x"])
    }
}
