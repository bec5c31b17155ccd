import AsyncHTTPClient
import Cassette
import Foundation
import NIOCore
import TestSupport
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// `proxy serve --log-level`, `--redact-header` and `--record-max-mb` as a
/// user types them: parsed by the executable, and doing what the README says.
@Suite(.serialized) struct ServeOptionsExecutableTests {
    private static let clientKey = "sk-ant-api03-CLICANARY-51c0ffee"

    private static func writeConfig(to file: URL, stub: StubHTTPServer, apiKey: String? = nil) throws {
        try Data(
            """
            models:
              - model_id: gpt
                model_name: upstream-gpt
                api_base: \(stub.baseURL)/v1
                format: openai\(apiKey.map { "\n    api_key: \($0)" } ?? "")
            """.utf8
        ).write(to: file)
    }

    private static func post(
        _ base: String, _ path: String = "/v1/messages", json: JSONValue, headers: [(String, String)] = []
    ) async throws -> Int {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: json.serialized()))
        let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// Starts `proxy serve` with `arguments` against a stub answering every
    /// request, runs `body` with its base URL, then stops it with SIGTERM
    /// and returns its standard error.
    /// With `apiKey`, the route holds that key; `output` gets its standard
    /// output once it stopped.
    private static func serve(
        _ arguments: [String], scratch: URL, apiKey: String? = nil, output: (String) -> Void = { _ in },
        _ body: (_ base: String) async throws -> Void
    ) async throws -> String {
        let executable = try ChildProcess.builtExecutable("proxy")
        let configFile = scratch.appendingPathComponent("models.yaml")
        return try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, UpstreamBodies.openAICompletion)
            try writeConfig(to: configFile, stub: stub, apiKey: apiKey)
            let child = try await ChildProcess(
                executable, arguments: ["serve", "--config", configFile.path, "--port", "0"] + arguments,
                environment: ExecutableScratch.environment(home: scratch))
            defer { child.killIfRunning() }
            let line = try #require(
                await child.outputLine(startingWith: "ANTHROPIC_BASE_URL="),
                "no ANTHROPIC_BASE_URL line; stderr: \(child.standardError)")
            try await body(String(line.dropFirst("ANTHROPIC_BASE_URL=".count)))
            child.send(SIGTERM)
            #expect(await child.waitForEnding() == .exited(0), "stderr: \(child.standardError)")
            output(child.standardOutput)
            return child.standardError
        }
    }

    @Test(arguments: [
        (["--log-level", "loud"], "--log-level must be one of trace, debug, info, notice, warning, error, critical"),
        (["--record-max-mb", "0"], "--record-max-mb must be between 1 and 1048576 (1 TiB)"),
        (["--header-timeout", "0"], "--header-timeout must be at least 1"),
        // Past these, the values wrapped as bytes or trapped as a listen backlog.
        (["--max-body-mb", "9000000000000"], "--max-body-mb must be between 1 and 1048576 (1 TiB)"),
        (["--max-connections", "3000000000"], "--max-connections must be between 1 and 1000000"),
    ])
    func aBadValueIsRefusedWithExit64SayingWhatIsAccepted(arguments: [String], message: String) async throws {
        let scratch = try ExecutableScratch.directory("sb-serve-options")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let child = try await ChildProcess(
            try ChildProcess.builtExecutable("proxy"), arguments: ["serve", "--port", "0"] + arguments,
            environment: ExecutableScratch.environment(home: scratch))
        defer { child.killIfRunning() }
        #expect(await child.waitForEnding() == .exited(64))
        #expect(child.standardError.contains(message), "\(child.standardError)")
        #expect(!child.standardOutput.contains("ANTHROPIC_BASE_URL"))
    }

    /// A negative number is the option's value, refused by the range check
    /// that names what is accepted, as `--timeout=-1` always was; it was
    /// taken for an option, "Missing value for '--timeout <timeout>'".
    @Test(arguments: [
        (["serve", "--port", "-1"], "--port must be between 0 and 65535"),
        (["serve", "--max-body-mb", "-1"], "--max-body-mb must be between 1 and 1048576 (1 TiB)"),
        (["serve", "--record-max-mb", "-1"], "--record-max-mb must be between 1 and 1048576 (1 TiB)"),
        (["serve", "--max-connections", "-1"], "--max-connections must be between 1 and 1000000"),
        (["serve", "--header-timeout", "-1"], "--header-timeout must be at least 1"),
        (["serve", "--demo", "--demo-speed", "-1"], "--demo-speed must be 0 or more"),
        (["stop", "--timeout", "-1"], "--timeout must be 0 to 86400 seconds"),
        (["restart", "--timeout", "-1"], "--timeout must be 0 to 86400 seconds"),
        (["check", "--timeout", "-1"], "--timeout must be at least 1"),
    ])
    func aNegativeNumberReachesTheRangeCheck(arguments: [String], message: String) async throws {
        try await Self.expectUsageError(arguments, saying: message, notSaying: "Missing value")
    }

    /// Runs `proxy` with `arguments` and expects a usage error (exit 64)
    /// whose standard error holds `message` and not `wrong`.
    private static func expectUsageError(
        _ arguments: [String], saying message: String, notSaying wrong: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let scratch = try ExecutableScratch.directory("sb-usage-errors")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let child = try await ChildProcess(
            try ChildProcess.builtExecutable("proxy"), arguments: arguments,
            environment: ExecutableScratch.environment(home: scratch))
        defer { child.killIfRunning() }
        await child.expectUsageError(saying: message, notSaying: wrong, sourceLocation: sourceLocation)
    }

    /// A numeric option followed by another option has no value: it says
    /// so, rather than "The value '--config' is invalid for '--port <port>'".
    @Test(arguments: [
        (["serve", "--port", "--config", "x.yaml"], "Missing value for '--port <port>'"),
        (["serve", "--demo", "--demo-speed", "--port", "0"], "Missing value for '--demo-speed <demo-speed>'"),
        (["restart", "--timeout", "--fresh"], "Missing value for '--timeout <timeout>'"),
        (["check", "--timeout", "--config", "x.yaml"], "Missing value for '--timeout <timeout>'"),
    ])
    func aNumericOptionWithoutAValueSaysItIsMissing(arguments: [String], message: String) async throws {
        try await Self.expectUsageError(arguments, saying: message, notSaying: "is invalid")
    }

    /// `--redact-header`'s help names every header always redacted: it is
    /// written from ``Redactor/defaultSecretHeaders``.
    @Test func redactHeaderHelpNamesEveryHeaderAlwaysRedacted() async throws {
        let scratch = try ExecutableScratch.directory("sb-serve-help")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let child = try await ChildProcess(
            try ChildProcess.builtExecutable("proxy"), arguments: ["serve", "--help"],
            environment: ExecutableScratch.environment(home: scratch))
        defer { child.killIfRunning() }
        #expect(await child.waitForEnding() == .exited(0))
        // Help is wrapped to the terminal's width; the words are what count.
        let help = child.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let option = try #require(help.range(of: "--redact-header <name>"), "\(help)")
        let text = help[option.upperBound...].prefix(400)
        for name in Redactor.defaultSecretHeaders {
            #expect(text.contains(name + ",") || text.contains(name + "."), "\(name): \(text)")
        }
    }

    /// `--host 0.0.0.0` says where it really listens (and gives clients on
    /// this machine a loopback URL), and warns once that anyone who can
    /// reach it can use the route's key; on loopback it does not warn.
    @Test func aNonLoopbackAddressIsShownAndWarnedAboutWhenARouteHoldsAKey() async throws {
        let scratch = try ExecutableScratch.directory("sb-serve-host")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let key = "sk-route-CANARY-0123"
        var banner = ""
        let exposed = try await Self.serve(
            ["--host", "0.0.0.0"], scratch: scratch, apiKey: key, output: { banner = $0 }
        ) { base in
            #expect(base.hasPrefix("http://127.0.0.1:"), "\(base)")
            let status = try await Self.post(base, json: ProxyHarness.messages())
            #expect(status == 200)
        }
        let warning = "warning: listening on 0.0.0.0, which is not a loopback address, while routes hold an api_key"
        #expect(exposed.components(separatedBy: warning).count == 2, "\(exposed)")
        #expect(exposed.contains("(gpt): anyone who can reach this address can use them"), "\(exposed)")
        #expect(!exposed.contains(key))
        #expect(banner.contains("Switchboard proxy listening on http://0.0.0.0:"), "\(banner)")
        let loopback = try await Self.serve([], scratch: scratch, apiKey: key) { _ in }
        #expect(!loopback.contains("not a loopback address"), "\(loopback)")
    }

    /// `warning` keeps failures only: no access line for a 200, but the
    /// unknown path's warning. `INFO` (any case) adds the access lines.
    @Test func theLevelDecidesWhichLinesAreWritten() async throws {
        let scratch = try ExecutableScratch.directory("sb-serve-options")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let exchange: (String) async throws -> Void = { base in
            let ok = try await Self.post(base, json: ProxyHarness.messages())
            #expect(ok == 200)
            let notFound = try await Self.post(base, "/v2/nowhere", json: ProxyHarness.messages())
            #expect(notFound == 404)
        }
        let atWarning = try await Self.serve(["--log-level", "warning"], scratch: scratch, exchange)
        #expect(atWarning.contains("unknown endpoint: POST /v2/nowhere"), "\(atWarning)")
        #expect(!atWarning.contains("POST /v1/messages anthropic gpt -> gpt 200"), "\(atWarning)")

        let atInfo = try await Self.serve(["--log-level", "INFO"], scratch: scratch, exchange)
        #expect(atInfo.contains("POST /v1/messages anthropic gpt -> gpt 200 in "), "\(atInfo)")
        #expect(atInfo.contains("unknown endpoint: POST /v2/nowhere"), "\(atInfo)")
        #expect(!atInfo.contains(" debug "), "\(atInfo)")
    }

    /// At `trace` the most is written, and still no key; the recording
    /// options reach the recorder: the named header is redacted, and files
    /// rotate at 1 MB.
    @Test func atTraceNoKeyIsLoggedAndTheRecordingOptionsApply() async throws {
        let scratch = try ExecutableScratch.directory("sb-serve-options")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cassettes = scratch.appendingPathComponent("cassettes")
        let errors = try await Self.serve(
            [
                "--log-level", "trace", "--record", cassettes.path, "--redact-header", "X-Team-Seat",
                "--record-max-mb", "1",
            ], scratch: scratch
        ) { base in
            // A full file takes no new exchange: rotation shows at the
            // first request after 1 MB.
            for index in 0..<5 {
                // ~300 KB LZ4 cannot shrink, once an exchange (the upstream
                // request's copy of it is a blob reference).
                let noise = Data((0..<225_000).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
                var request = ProxyHarness.messages()
                request["messages"] = [["role": "user", "content": .string("\(index) \(noise)")]]
                let status = try await Self.post(
                    base, json: request,
                    headers: [("x-api-key", Self.clientKey), ("x-team-seat", "TEAMCANARY-\(index)")])
                #expect(status == 200)
            }
        }
        #expect(errors.contains("trace") || errors.contains("debug"), "nothing below info was logged: \(errors)")
        #expect(!errors.contains("CLICANARY"), "a key reached the log")
        #expect(!errors.contains("TEAMCANARY"))

        let files = try CassetteReader.cassetteFiles(in: [cassettes.path])
        #expect(files.count >= 2, "--record-max-mb 1 did not rotate: \(files)")
        var recorded = ""
        for file in files {
            let tool = try await LZ4Tool.decompress(file)
            #expect(tool.status == 0)
            recorded += String(decoding: tool.output, as: UTF8.self)
        }
        #expect(recorded.contains("x-team-seat"))
        #expect(!recorded.contains("TEAMCANARY"), "--redact-header did not redact")
        #expect(recorded.contains(Redactor.fingerprint("TEAMCANARY-0")))
        #expect(!recorded.contains("CLICANARY"))
    }
}
