import Cassette
import Foundation
import Replay
import TestSupport
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// `proxy serve --demo` as a user runs it: the real executable, with an
/// empty home, no config and no key.
@Suite struct DemoCommandTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "demo-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `proxy ARGUMENTS` with `home` as HOME and its `.config` as
    /// XDG_CONFIG_HOME, so anything it read or wrote there would show.
    static func proxy(_ arguments: [String], home: URL) async throws -> ChildProcess {
        try await ChildProcess(
            ChildProcess.builtExecutable("proxy"), arguments: arguments,
            environment: [
                "HOME": home.path, "XDG_CONFIG_HOME": home.appending(path: ".config").path, "PATH": "/usr/bin:/bin",
            ])
    }

    /// SIGQUIT (`proxy stop` past its timeout) cancels rather than drains:
    /// the demo's cassette was left unclosed by it, its last frame torn.
    @Test(arguments: [SIGINT, SIGQUIT])
    func serveDemoAnswersWithNoConfigAndStopsCleanly(on signal: Int32) async throws {
        let home = try Self.temporaryDirectory()
        let cassettes = try Self.temporaryDirectory()
        defer {
            for url in [home, cassettes] { try? FileManager.default.removeItem(at: url) }
        }
        let proxy = try await Self.proxy(
            ["serve", "--demo", "--port", "0", "--demo-speed", "0", "--record", cassettes.path], home: home)
        defer { proxy.killIfRunning() }

        let line = await proxy.outputLine(startingWith: "ANTHROPIC_BASE_URL=")
        let baseURL = try #require(line, "stdout:\n\(proxy.standardOutput)\nstderr:\n\(proxy.standardError)")
            .dropFirst("ANTHROPIC_BASE_URL=".count)
        let port = try #require(baseURL.split(separator: ":").last.flatMap { Int($0) })
        let reply = try await DemoSupport.postMessages(port: port, body: DemoSupport.arbitraryRequest(stream: true))
        #expect(reply.status == 200)
        #expect(AnthropicStreamChecker.violations(in: reply.events) == [])
        #expect(reply.streamedText == (try DemoSupport.recordedStreamedText()))

        proxy.send(signal)
        #expect(await proxy.waitForEnding() == .exited(0), "stderr:\n\(proxy.standardError)")

        let banner = proxy.standardOutput
        #expect(banner.contains("Switchboard demo"))
        #expect(banner.contains("curl -N \(baseURL)/v1/messages"))
        #expect(banner.contains("ANTHROPIC_BASE_URL=\(baseURL) ANTHROPIC_API_KEY=demo claude -p"))
        #expect(banner.contains("Recording to \(cassettes.path)"))
        #expect(proxy.standardError.contains("NEAR POST /v1/chat/completions -> 200"))
        // The banner's curl example is the recorded request, so it is served exactly (a HIT).
        let curl = try #require(banner.split(separator: "\n").first { $0.contains("curl -N") })
        let curlBody = try #require(curl.split(separator: "-d '").last?.dropLast())
        let recorded = try DemoSupport.recordedExchange(streaming: true).clientRequest?["body"]
        #expect(try JSONValue(parsing: Array(curlBody.utf8)) == recorded)
        // No config was read or written: the home stays empty.
        #expect(try FileManager.default.subpathsOfDirectory(atPath: home.path) == [])
        // The cassette was closed cleanly on the signal.
        let set = try CassetteLoader.load(paths: [cassettes.path])
        #expect(set.exchanges.map(\.id) == [reply.requestID])
        #expect(set.tornTails == [])
    }

    @Test func demoRefusesAConfig() async throws {
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let proxy = try await Self.proxy(["serve", "--demo", "--config", "/nonexistent.yaml"], home: home)
        defer { proxy.killIfRunning() }
        #expect(await proxy.waitForEnding() == .exited(64))
        #expect(proxy.standardError.contains("--demo uses its own routes"))
    }
}
