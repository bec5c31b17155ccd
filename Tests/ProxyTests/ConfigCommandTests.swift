import Cassette
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `proxy config print|init|check`, `proxy route` and `proxy models`, run as
/// a user runs them.
@Suite(.serialized) struct ConfigCommandTests {
    struct Run {
        var ending: ChildProcess.Ending?
        var output: String
        var errors: String
    }

    static func run(
        _ arguments: [String], home: URL, environment: [String: String] = [:], directory: URL? = nil
    ) async throws -> Run {
        let child = try await ChildProcess(
            try ChildProcess.builtExecutable("proxy"), arguments: arguments,
            environment: ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
                .merging(environment) { $1 }, directory: directory)
        defer { child.killIfRunning() }
        let ending = await child.waitForEnding()
        return Run(ending: ending, output: child.standardOutput, errors: child.standardError)
    }

    private static let key = "sk-cli-print-secret-key"

    private static func writeConfig(in directory: URL, extra: String = "") throws -> URL {
        let file = directory.appendingPathComponent("models.yaml")
        try Data(
            """
            default: main
            models:
              - model_id: main
                model_name: deepseek-chat
                api_base: https://api.deepseek.com/v1
                format: openai
                api_key: ${TEST_ROUTE_KEY}
                aliases: ["claude-*"]\(extra)
              - model_id: fast
                model_name: gpt-4o-mini
                api_base: https://api.openai.com/v1
                format: openai
                aliases: ["claude-*haiku*"]

            """.utf8
        ).write(to: file)
        return file
    }

    @Test func configPrintShowsNoKeyUnlessAsked() async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = try Self.writeConfig(in: scratch)
        let environment = ["TEST_ROUTE_KEY": Self.key]

        let redacted = try await Self.run(
            ["config", "print", "--config", file.path], home: scratch, environment: environment)
        #expect(redacted.ending == .exited(0), "\(redacted.errors)")
        #expect(!redacted.output.contains(Self.key) && !redacted.errors.contains(Self.key))
        #expect(redacted.output.contains("api_key: \"\(Redactor.fingerprint(Self.key))\""), "\(redacted.output)")
        #expect(redacted.output.contains("timeout: 10m"))

        let shown = try await Self.run(
            ["config", "print", "--config", file.path, "--show-api-keys"], home: scratch, environment: environment)
        #expect(shown.ending == .exited(0))
        #expect(shown.output.contains("api_key: \(Self.key)"))
    }

    /// A login's built-in entries and its token stay out of what `config
    /// print` writes, so it can be saved as the config.
    @Test func configPrintLeavesLoginEntriesAndTokensOut() async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = try Self.writeConfig(in: scratch)
        let token = "sk-ant-oat01-print-SECRET"
        let directory = scratch.appendingPathComponent(".config/switchboard")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let auth = directory.appendingPathComponent("auth.json")
        try Data(#"{"claude-code":{"access_token":"\#(token)"}}"#.utf8).write(to: auth)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: auth.path)

        let printed = try await Self.run(
            ["config", "print", "--config", file.path, "--show-api-keys"], home: scratch,
            environment: ["TEST_ROUTE_KEY": Self.key])
        #expect(printed.ending == .exited(0), "\(printed.errors)")
        #expect(!printed.output.contains(token) && !printed.errors.contains(token))
        #expect(!printed.output.contains("model_id: claude-code/"), "\(printed.output)")
        #expect(
            printed.output.contains("# Not printed: the entries logins add when this file is loaded, claude-code ("))
    }

    /// An auth file that cannot be used (not JSON, or readable by others) is
    /// said on stderr, naming the file and not its token; the config is
    /// printed all the same.
    @Test(arguments: [
        (#"{"claude-code":{"access_token":"sk-ant-oat01-broken-SECRET""#, 0o600),
        (#"{"claude-code":{"access_token":"sk-ant-oat01-open-SECRET"}}"#, 0o644),
    ])
    func configPrintSaysWhenTheAuthFileCannotBeRead(contents: String, mode: Int) async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = try Self.writeConfig(in: scratch)
        let directory = scratch.appendingPathComponent(".config/switchboard")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let auth = directory.appendingPathComponent("auth.json")
        try Data(contents.utf8).write(to: auth)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: auth.path)

        let printed = try await Self.run(
            ["config", "print", "--config", file.path, "--show-api-keys"], home: scratch,
            environment: ["TEST_ROUTE_KEY": Self.key])
        #expect(printed.ending == .exited(0), "\(printed.errors)")
        #expect(printed.errors.contains("warning: \(auth.path)"), "\(printed.errors)")
        #expect(printed.errors.contains("not named below"), "\(printed.errors)")
        #expect(!printed.errors.contains("SECRET") && !printed.output.contains("SECRET"))
        #expect(printed.output.contains("model_id: main"), "\(printed.output)")
    }

    @Test func configInitWritesTheDefaultOnceUnlessForced() async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent(".config/switchboard/models.yaml").path

        let first = try await Self.run(["config", "init"], home: scratch)
        #expect(first.ending == .exited(0))
        #expect(first.output == "Wrote the default config to \(path).\n")
        try Data("# mine\n".utf8).write(to: URL(fileURLWithPath: path))

        let second = try await Self.run(["config", "init"], home: scratch)
        #expect(second.ending == .exited(0))
        #expect(second.output.contains("already exists; left it unchanged. Use --force"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# mine\n")

        let forced = try await Self.run(["config", "init", "--force"], home: scratch)
        #expect(forced.ending == .exited(0))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("model_id: claude"))

        // The tools read the same default file `serve` does.
        let models = try await Self.run(["models"], home: scratch)
        #expect(models.ending == .exited(0))
        #expect(models.output == "claude\n")
        #expect(models.errors.contains("also: any other name -> claude"))
    }

    /// A bare file name is in the current directory; its directory part is
    /// empty, which once made the write fail creating directory "".
    @Test func configInitWritesABareFileNameInTheCurrentDirectory() async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }

        let written = try await Self.run(
            ["config", "init", "--config", "init.yaml"], home: scratch, directory: scratch)
        #expect(written.ending == .exited(0), "\(written.errors)")
        let path = scratch.appendingPathComponent("init.yaml").path
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("model_id: claude"))
    }

    @Test func configCheckPrintsTheTableOrTheErrorWithExit78() async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = try Self.writeConfig(in: scratch, extra: "\n    colour: blue")
        let environment = ["TEST_ROUTE_KEY": Self.key]

        let good = try await Self.run(["config", "check", file.path], home: scratch, environment: environment)
        #expect(good.ending == .exited(0), "\(good.errors)")
        #expect(good.output.hasPrefix("\(file.path): 2 models, 2 aliases, default `main`"))
        #expect(good.output.contains("MODEL ID"))
        #expect(good.errors.contains("\(file.path):9:5: warning: unknown model entry field `colour` is ignored"))
        #expect(!good.output.contains(Self.key))

        let missingKey = try await Self.run(["config", "check", file.path], home: scratch)
        #expect(missingKey.ending == .exited(78))
        #expect(missingKey.errors.contains("\(file.path):7:"))
        #expect(missingKey.errors.contains("environment variable `TEST_ROUTE_KEY` is not set"))

        let nothing = try await Self.run(["config", "check"], home: scratch)
        #expect(nothing.ending == .exited(78))
        #expect(nothing.errors.contains("there is no config file here. Run `proxy config init`"))
        // `proxy check` reads the file the same way: it once said "Check the
        // path given to --config" when no --config was given.
        let upstreams = try await Self.run(["check"], home: scratch)
        #expect(upstreams.ending == .exited(78))
        #expect(
            upstreams.errors.contains("there is no config file here. Run `proxy config init`"), "\(upstreams.errors)")
    }

    @Test func routeNamesTheEntryAndWhyOrExitsOne() async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = try Self.writeConfig(in: scratch)
        let environment = ["TEST_ROUTE_KEY": Self.key]

        let haiku = try await Self.run(
            ["route", "claude-3-5-haiku-latest", "--config", file.path], home: scratch, environment: environment)
        #expect(haiku.ending == .exited(0))
        #expect(haiku.output.hasPrefix("`claude-3-5-haiku-latest` -> entry `fast`"))
        #expect(haiku.output.contains("alias `claude-*haiku*`"))

        let bare = scratch.appendingPathComponent("bare.yaml")
        try Data("models:\n  - {model_id: a, model_name: m, api_base: \"http://u\", format: openai}\n".utf8).write(
            to: bare)
        let none = try await Self.run(["route", "gpt-4o", "--config", bare.path], home: scratch)
        #expect(none.ending == .exited(1))
        #expect(none.output.contains("`gpt-4o` is not served"))
    }

    @Test func serveReportsConfigWarningsAtStart() async throws {
        let scratch = try ExecutableScratch.directory("sb-config")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = try Self.writeConfig(in: scratch, extra: "\n    colour: blue")
        let child = try await ChildProcess(
            try ChildProcess.builtExecutable("proxy"), arguments: ["serve", "--config", file.path, "--port", "0"],
            environment: [
                "HOME": scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "TEST_ROUTE_KEY": Self.key,
            ])
        defer { child.killIfRunning() }
        _ = try #require(await child.outputLine(startingWith: "ANTHROPIC_BASE_URL="), "\(child.standardError)")
        #expect(child.standardError.contains("\(file.path):9:5: warning: unknown model entry field `colour`"))
        child.send(SIGTERM)
        #expect(await child.waitForEnding() == .exited(0))
    }
}
