import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// The `stub-upstream` executable as a user runs it (README, stub-upstream):
/// its options, and a clear error and a non-zero exit for files it cannot
/// serve.
@Suite struct StubUpstreamCommandLineTests {
    private static func stub(_ arguments: [String]) async throws -> ChildProcess {
        try await ChildProcess(
            ChildProcess.builtExecutable("stub-upstream"), arguments: arguments,
            environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()])
    }

    /// The port from the start-up line, and how many recordings it serves.
    private static func started(_ child: ChildProcess) async throws -> (port: Int, recorded: Int) {
        let line = try #require(
            await child.outputLine(startingWith: "stub-upstream: "), "no start-up line; stderr: \(child.standardError)")
        let match = try #require(
            line.wholeMatch(of: /stub-upstream: ([0-9]+) recorded upstream requests on http:\/\/127\.0\.0\.1:([0-9]+)/),
            "\(line)")
        return (Int(match.2)!, Int(match.1)!)
    }

    @Test func unreadableCassettesAreAnErrorNamingTheFileAndAnExitNotZero() async throws {
        let files = try BadCassettes()
        defer { files.remove() }
        for path in [files.missing, files.plainText, files.randomBytes] {
            let child = try await Self.stub(["--cassettes", path, "--port", "0"])
            defer { child.killIfRunning() }
            let ending = await child.waitForEnding(limit: .seconds(30))
            #expect(ending != nil && ending != .exited(0), "\(path): \(String(describing: ending))")
            #expect(child.standardError.contains(URL(filePath: path).lastPathComponent), "\(child.standardError)")
            #expect(!child.standardOutput.contains("recorded upstream requests"))
        }
    }

    /// Serving no recordings would answer every request 404: it does not
    /// start, and says why.
    @Test func aDirectoryWithoutCassettesIsAnErrorNamingIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-empty-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try await Self.stub(["--cassettes", directory.path, "--port", "0"])
        defer { child.killIfRunning() }
        let ending = await child.waitForEnding(limit: .seconds(30))
        #expect(ending != nil && ending != .exited(0), "\(String(describing: ending))")
        #expect(child.standardError.contains(directory.path), "\(child.standardError)")
        #expect(child.standardError.contains("no cassettes"), "\(child.standardError)")
        #expect(!child.standardOutput.contains("recorded upstream requests"))
    }

    @Test func aCassetteCutShortServesWhatWasFlushed() async throws {
        let files = try BadCassettes()
        defer { files.remove() }
        let whole = try await Self.stub(["--cassettes", files.whole, "--port", "0", "--speed", "0"])
        defer { whole.killIfRunning() }
        let wholeCount = try await Self.started(whole).recorded
        whole.send(SIGTERM)
        _ = await whole.waitForEnding()
        let cut = try await Self.stub(["--cassettes", files.truncated, "--port", "0", "--speed", "0"])
        defer { cut.killIfRunning() }
        let cutCount = try await Self.started(cut).recorded
        #expect(cutCount > 0 && cutCount <= wholeCount, "\(cutCount) of \(wholeCount)")
        cut.send(SIGTERM)
        _ = await cut.waitForEnding()
    }

    @Test(arguments: [
        ["--speed", "-1"], ["--on-miss", "maybe"], ["--port", "http"], ["--no-such-option"], ["--port", "70000"],
        ["--max-gap", "-5"],
    ])
    func aMistypedOptionIsRefusedWithExit64(arguments: [String]) async throws {
        let corpus = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let child = try await Self.stub(["--cassettes", corpus, "--port", "0"] + arguments)
        defer { child.killIfRunning() }
        #expect(await child.waitForEnding(limit: .seconds(30)) == .exited(64), "\(child.standardError)")
        #expect(!child.standardError.isEmpty)
    }

    /// A negative number is the option's value, refused by the range check
    /// that names what is accepted, as `--speed=-1` always was; it was taken
    /// for an option, "Missing value for '--speed <speed>'".
    @Test(arguments: [
        (["--speed", "-1"], "--speed must be 0 or more"), (["--max-gap", "-5"], "--max-gap must be 0 or more"),
        (["--port", "-1"], "--port must be between 0 and 65535"),
    ])
    func aNegativeNumberReachesTheRangeCheck(arguments: [String], message: String) async throws {
        try await Self.expectUsageError(arguments, saying: message, notSaying: "Missing value")
    }

    /// A numeric option followed by another option has no value: it says
    /// so, rather than that the next option is an invalid number.
    @Test(arguments: [
        (["--port", "--speed", "0"], "Missing value for '--port <port>'"),
        (["--max-gap", "--strict-order"], "Missing value for '--max-gap <max-gap>'"),
    ])
    func aNumericOptionWithoutAValueSaysItIsMissing(arguments: [String], message: String) async throws {
        try await Self.expectUsageError(arguments, saying: message, notSaying: "is invalid")
    }

    /// Runs the stub on a corpus cassette with `arguments` and expects a
    /// usage error (exit 64) whose standard error holds `message` and not `wrong`.
    private static func expectUsageError(
        _ arguments: [String], saying message: String, notSaying wrong: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let corpus = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let child = try await stub(["--cassettes", corpus] + arguments)
        defer { child.killIfRunning() }
        await child.expectUsageError(saying: message, notSaying: wrong, sourceLocation: sourceLocation)
    }

    private static func post(_ port: Int, path: String, json: JSONValue) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: json.serialized()))
        let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Whether `text` appears on the child's standard error within 10 s (it
    /// is written as the answer goes out, not before).
    private static func waitFor(_ text: String, inErrorsOf child: ChildProcess) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if child.standardError.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// A request no recording matches: rejected by default, naming the
    /// nearest recording; served that recording with `--on-miss nearest`.
    @Test func onMissDecidesWhatAnUnmatchedRequestGets() async throws {
        let corpus = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let request: JSONValue = [
            "model": "fake-e2e-model", "stream": true, "messages": [["role": "user", "content": "something new"]],
        ]
        for (policy, expected) in [("reject", [404, 409]), ("nearest", [200])] {
            let child = try await Self.stub(["--cassettes", corpus, "--port", "0", "--speed", "0", "--on-miss", policy])
            defer { child.killIfRunning() }
            let (port, recorded) = try await Self.started(child)
            #expect(recorded > 0)
            let (status, body) = try await Self.post(port, path: "/v1/chat/completions", json: request)
            #expect(expected.contains(status), "\(policy): \(status) \(body)")
            if policy == "nearest" { #expect(body.contains("data: "), "\(body)") }
            let word = policy == "nearest" ? " NEAR " : " MISS "
            #expect(await Self.waitFor(word, inErrorsOf: child), "\(policy): \(child.standardError)")
            child.send(SIGTERM)
            _ = await child.waitForEnding()
        }
    }
}
