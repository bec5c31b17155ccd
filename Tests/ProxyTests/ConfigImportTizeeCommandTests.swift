import Foundation
import TestSupport
import Testing

/// `proxy config import-tizee`, and `proxy serve`'s first run beside
/// tizee/anthropic-proxy's files, run as a tizee user runs them: HOME holds
/// `~/.config/anthropic-proxy/` and nothing of this proxy's.
extension ConfigCommandTests {
    @Test func importTizeeTakesOverTheDefaultDirectoryWithoutPrintingASecret() async throws {
        try await TizeeImportTests.withTizee { home, tizee in
            let imported = try await Self.run(
                ["config", "import-tizee"], home: home, environment: TizeeModelsFixture.environment)
            #expect(imported.ending == .exited(0), "\(imported.errors)")
            let config = home.appendingPathComponent(".config/switchboard/models.yaml").path
            #expect(imported.output.contains("Routes: wrote \(config) (mode 0600) from \(tizee.modelsFile)."))
            #expect(imported.output.contains("It loads: 8 routes."), "\(imported.output)")
            #expect(imported.output.contains("Logins: imported Codex (ChatGPT plan)"))
            #expect(imported.output.contains("`proxy serve --log-level warning --host 0.0.0.0 --port 8083`"))
            #expect(!TizeeImportTests.secrets.contains { imported.output.contains($0) || imported.errors.contains($0) })

            // The tools read what was written, logins included.
            let models = try await Self.run(["models"], home: home, environment: TizeeModelsFixture.environment)
            #expect(models.ending == .exited(0), "\(models.errors)")
            #expect(models.output.contains("deepseek-chat\n"))
            #expect(models.output.contains("claude-code/claude-sonnet-4-5\n"), "\(models.output)")

            let again = try await Self.run(["config", "import-tizee"], home: home)
            #expect(again.ending == .exited(0))
            #expect(again.output.contains("already exists; left it unchanged. Use --force"))
        }
    }

    @Test func importTizeeWithoutItsDirectoryFailsSayingWhereItLooked() async throws {
        let home = try ExecutableScratch.directory("sb-tizee")
        defer { try? FileManager.default.removeItem(at: home) }
        let run = try await Self.run(["config", "import-tizee"], home: home)
        #expect(run.ending == .exited(1))
        #expect(
            run.output.contains(
                "error: there is no tizee/anthropic-proxy directory at \(home.path)/.config/anthropic-proxy"))
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent(".config/switchboard").path))
    }

    @Test func importTizeeHelpExplainsItself() async throws {
        let home = try ExecutableScratch.directory("sb-tizee")
        defer { try? FileManager.default.removeItem(at: home) }
        let help = try await Self.run(["config", "import-tizee", "--help"], home: home)
        #expect(help.ending == .exited(0))
        // As read, not as wrapped to the terminal's width.
        let text = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in [
            "~/.config/anthropic-proxy", "CUSTOM_MODELS_FILE", "mode 0600", "filter_tools", "--force", "--from",
            "No token or key is printed.", "so there is no logging in again",
        ] {
            #expect(text.contains(phrase), "\(phrase) missing from:\n\(help.output)")
        }
        let config = try await Self.run(["config", "--help"], home: home)
        #expect(config.output.contains("import-tizee"))
    }

    /// The default config sends every model to Anthropic; a tizee user's
    /// model ids would fail there with no hint, so the first run says where
    /// their routes are and how to take them over.
    @Test func serveFirstRunPointsATizeeUserAtTheImport() async throws {
        try await TizeeImportTests.withTizee(settings: nil, auth: nil) { home, tizee in
            let child = try await ChildProcess(
                try ChildProcess.builtExecutable("proxy"), arguments: ["serve", "--port", "0"],
                environment: ExecutableScratch.environment(home: home))
            defer { child.killIfRunning() }
            _ = try #require(
                await child.outputLine(startingWith: "ANTHROPIC_BASE_URL="), "stderr: \(child.standardError)")
            #expect(
                child.standardError.contains(
                    "note: tizee/anthropic-proxy's routes are in \(tizee.modelsFile), but the default config written "
                        + "sends every model to Anthropic; `proxy config import-tizee --force` makes them the config"),
                "\(child.standardError)")
        }
    }
}
