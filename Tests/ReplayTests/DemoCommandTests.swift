import Cassette
import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// `proxy serve --demo` as a user runs it: the real executable, with an
/// empty home, no config and no key.
@Suite struct DemoCommandTests {
    /// The `proxy` executable `swift build` put next to this test binary.
    static func proxyExecutable() throws -> URL {
        var candidates: [URL] = []
        if let testBinary = CommandLine.arguments.first {
            let url = URL(filePath: testBinary, relativeTo: URL(filePath: FileManager.default.currentDirectoryPath))
            // `.../debug/SwitchboardPackageTests.xctest`, possibly a bundle folder one level deeper.
            candidates.append(url.deletingLastPathComponent().appending(path: "proxy"))
            candidates.append(url.deletingLastPathComponent().deletingLastPathComponent().appending(path: "proxy"))
        }
        candidates.append(try DemoSupport.repositoryRoot().appending(path: ".build/debug/proxy"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw DemoTestError(
                "no proxy executable in \(candidates.map(\.path)); run `swift build --build-tests` first")
        }
        return found
    }

    /// A running `proxy` process with its output going to files.
    struct RunningProxy {
        let process: Process
        let stdout: URL
        let stderr: URL

        init(arguments: [String], home: URL) throws {
            process = Process()
            process.executableURL = try DemoCommandTests.proxyExecutable()
            process.arguments = arguments
            process.environment = [
                "HOME": home.path, "XDG_CONFIG_HOME": home.appending(path: ".config").path, "PATH": "/usr/bin:/bin",
            ]
            stdout = home.deletingLastPathComponent().appending(path: "\(home.lastPathComponent).stdout")
            stderr = home.deletingLastPathComponent().appending(path: "\(home.lastPathComponent).stderr")
            _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
            _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: stdout)
            process.standardError = try FileHandle(forWritingTo: stderr)
            try process.run()
        }

        var output: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
        var errors: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

        /// The first stdout line starting with `prefix`, once printed.
        func line(startingWith prefix: String) async throws -> String {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                    return String(line)
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw DemoTestError("no `\(prefix)` line; stdout:\n\(output)\nstderr:\n\(errors)")
        }

        /// Waits for the process to exit; kills it if it does not.
        func exitStatus() async throws -> Int32? {
            let deadline = ContinuousClock.now + .seconds(60)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            guard !process.isRunning else {
                process.terminate()
                return nil
            }
            return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
        }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "demo-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func serveDemoAnswersWithNoConfigAndStopsCleanlyOnSIGINT() async throws {
        let home = try Self.temporaryDirectory()
        let cassettes = try Self.temporaryDirectory()
        defer {
            for url in [home, cassettes] { try? FileManager.default.removeItem(at: url) }
        }
        let proxy = try RunningProxy(
            arguments: ["serve", "--demo", "--port", "0", "--demo-speed", "0", "--record", cassettes.path], home: home)
        defer { if proxy.process.isRunning { proxy.process.terminate() } }

        let baseURL = try await proxy.line(startingWith: "ANTHROPIC_BASE_URL=").dropFirst("ANTHROPIC_BASE_URL=".count)
        let port = try #require(baseURL.split(separator: ":").last.flatMap { Int($0) })
        let reply = try await DemoSupport.postMessages(port: port, body: DemoSupport.arbitraryRequest(stream: true))
        #expect(reply.status == 200)
        #expect(AnthropicStreamChecker.violations(in: reply.events) == [])
        #expect(reply.streamedText == (try DemoSupport.recordedStreamedText()))

        proxy.process.interrupt()
        #expect(try await proxy.exitStatus() == 0, "stderr:\n\(proxy.errors)")

        let banner = proxy.output
        #expect(banner.contains("Switchboard demo"))
        #expect(banner.contains("curl -N \(baseURL)/v1/messages"))
        #expect(banner.contains("ANTHROPIC_BASE_URL=\(baseURL) ANTHROPIC_API_KEY=demo claude -p"))
        #expect(banner.contains("Recording to \(cassettes.path)"))
        // The banner's curl example is the recorded request, so it is served exactly (a HIT).
        let curl = try #require(banner.split(separator: "\n").first { $0.contains("curl -N") })
        let curlBody = try #require(curl.split(separator: "-d '").last?.dropLast())
        let recorded = try DemoSupport.recordedExchange(streaming: true).clientRequest?["body"]
        #expect(try JSONValue(parsing: Array(curlBody.utf8)) == recorded)
        #expect(proxy.errors.contains("NEAR POST /v1/chat/completions -> 200"))
        // No config was read or written: the home stays empty.
        #expect(try FileManager.default.subpathsOfDirectory(atPath: home.path) == [])
        // The cassette was closed cleanly on SIGINT.
        let set = try CassetteLoader.load(paths: [cassettes.path])
        #expect(set.exchanges.map(\.id) == [reply.requestID])
        #expect(set.tornTails == [])
    }

    @Test func demoRefusesAConfig() async throws {
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let proxy = try RunningProxy(arguments: ["serve", "--demo", "--config", "/nonexistent.yaml"], home: home)
        #expect(try await proxy.exitStatus() == 64)
        #expect(proxy.errors.contains("--demo uses its own routes"))
    }
}
