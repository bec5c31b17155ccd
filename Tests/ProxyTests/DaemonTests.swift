import AsyncHTTPClient
import Cassette
import Foundation
import NIOCore
import Proxy
import TestSupport
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// `proxy start`, `status`, `stop` and `restart`, run as a user runs them
/// against the built `proxy`, with a scratch state directory and port 0.
@Suite(.serialized) struct DaemonTests {
    @Test func startsAnswersReportsRefusesASecondAndStops() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")

        let start = try await scratch.run(["start", "--config", scratch.configFile, "--port", "0"])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let base = try #require(DaemonScratch.baseURL(in: start.standardOutput), "\(start.standardOutput)")
        #expect(base.wholeMatch(of: /http:\/\/127\.0\.0\.1:[1-9][0-9]*/) != nil, "\(base)")
        let pid = try #require(scratch.pid)
        #expect(start.standardOutput.contains("(pid \(pid))"))
        #expect(DaemonScratch.isAlive(pid))

        let health = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: base + "/health"), timeout: testRequestTimeout)
        #expect(health.status.code == 200)
        #expect(String(buffer: try await health.body.collect(upTo: 1 << 16)).contains("ok"))

        let status = try await scratch.run(["status"])
        #expect(status.ending == .exited(0), "\(status.standardError)")
        for expected in [
            "is running", "pid:        \(pid)", "address:    \(base)", "version:    0.",
            "config:     \(scratch.configFile)",
            "log:        \(scratch.logFile)", "recording:  off", "uptime:",
        ] {
            #expect(status.standardOutput.contains(expected), "\(expected) in \(status.standardOutput)")
        }

        let second = try await scratch.run(["start", "--config", scratch.configFile, "--port", "0"])
        #expect(second.ending == .exited(1))
        #expect(second.standardError.contains("already running: pid \(pid), \(base)"), "\(second.standardError)")
        #expect(scratch.pid == pid, "the running proxy's state is untouched")

        let stop = try await scratch.run(["stop"])
        #expect(stop.ending == .exited(0), "\(stop.standardError)")
        #expect(stop.standardOutput.contains("Stopped the Switchboard proxy (pid \(pid))"), "\(stop.standardOutput)")
        #expect(!DaemonScratch.isAlive(pid), "stop returns once the process has exited")
        #expect(!FileManager.default.fileExists(atPath: scratch.stateFile))

        let after = try await scratch.run(["status"])
        #expect(after.ending == .exited(3))
        #expect(after.standardOutput.contains("not running"))
        let again = try await scratch.run(["stop"])
        #expect(again.ending == .exited(0), "stopping what is not running is no error")
        #expect(scratch.log.contains("Switchboard proxy listening on \(base)"), "the banner went to the log")
    }

    @Test func aStaleStateFileIsCleanedUp() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")
        // The pid of a process that has come and gone.
        let gone = try await ChildProcess(URL(fileURLWithPath: "/bin/true"), arguments: [])
        #expect(await gone.waitForEnding() == .exited(0))
        let stale = """
            {"pid":\(gone.pid),"host":"127.0.0.1","port":9,"address":"http://127.0.0.1:9",\
            "startedAt":"2026-01-01T00:00:00Z","logFile":"\(scratch.logFile)","version":"0.1.0","arguments":[]}
            """
        try FileManager.default.createDirectory(atPath: scratch.stateDirectory, withIntermediateDirectories: true)
        try Data(stale.utf8).write(to: URL(fileURLWithPath: scratch.stateFile))

        let status = try await scratch.run(["status"])
        #expect(status.ending == .exited(3))
        #expect(status.standardError.contains("removed a stale state file: pid \(gone.pid)"), "\(status.standardError)")
        #expect(!FileManager.default.fileExists(atPath: scratch.stateFile))

        try Data(stale.utf8).write(to: URL(fileURLWithPath: scratch.stateFile))
        let start = try await scratch.run(["start", "--config", scratch.configFile, "--port", "0"])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        #expect(start.standardError.contains("removed a stale state file: pid \(gone.pid)"), "\(start.standardError)")
        let pid = try #require(scratch.pid)
        #expect(pid != gone.pid)
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }

    @Test func aTimeoutPastADayIsRefused() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        // 1e17 s trapped made milliseconds; inf passed a check of >= 0.
        for command in ["stop", "restart"] {
            for timeout in ["1e17", "inf", "-1"] {
                let run = try await scratch.run([command, "--timeout=\(timeout)"])
                #expect(run.ending == .exited(64), "\(command) \(timeout): \(run.standardError)")
                #expect(run.standardError.contains("--timeout must be 0 to 86400 seconds."), "\(run.standardError)")
            }
        }
    }

    @Test func aServerThatCannotStartShowsWhy() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try Data("models:\n  - model_id: x\n    format: gemeni\n".utf8).write(
            to: URL(fileURLWithPath: scratch.configFile))
        let start = try await scratch.run(["start", "--config", scratch.configFile, "--port", "0"])
        #expect(start.ending == .exited(1))
        #expect(start.standardError.contains("exited while starting (exit status 78)"), "\(start.standardError)")
        #expect(start.standardError.contains(scratch.configFile + ":"), "the config error, from the log")
        #expect(!FileManager.default.fileExists(atPath: scratch.stateFile))

        let typo = try await scratch.run(["start", "--prot", "0"])
        #expect(typo.ending == .exited(64), "serve's options are checked before anything starts")
        #expect(typo.standardError.contains("--prot"), "\(typo.standardError)")
    }

    /// `proxy start` on port 0, which must succeed: the base URL it printed
    /// and the server's pid.
    private static func startDaemon(_ scratch: DaemonScratch) async throws -> (base: String, pid: Int32) {
        let start = try await scratch.run(["start", "--config", scratch.configFile, "--port", "0"])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let base = try #require(DaemonScratch.baseURL(in: start.standardOutput))
        return (base, try #require(scratch.pid))
    }

    /// A streamed request whose head has arrived; its body is still coming.
    /// A request for the config's `gpt` route.
    static func messagesRequest(base: String, stream: Bool = false) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + "/v1/messages")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: ProxyHarness.messages(model: "gpt", stream: stream).serialized()))
        return request
    }

    private static func startStream(base: String) async throws -> HTTPClientResponse {
        let response = try await HTTPClient.shared.execute(
            messagesRequest(base: base, stream: true), timeout: testRequestTimeout)
        #expect(response.status.code == 200)
        return response
    }

    @Test func stopLetsAStreamInFlightFinish() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try await StubHTTPServer.withRunning { stub in
            // Five frames 600 ms apart: the stream runs for 2.4 s after its head.
            stub.reply = .eventStream(UpstreamBodies.openAIStream, delay: .milliseconds(600))
            try scratch.writeConfig(upstream: stub.baseURL)
            let (base, pid) = try await Self.startDaemon(scratch)

            let response = try await Self.startStream(base: base)

            // The head is here and the stream is under way: stop now.
            async let stopping = scratch.run(["stop", "--timeout", "60"])
            let body = try await response.body.collect(upTo: 1 << 20)
            let bodyDone = ContinuousClock.now
            let stop = try await stopping
            let stopDone = ContinuousClock.now

            #expect(AnthropicStreamChecker.violations(inBytes: Array(body.readableBytesView)).isEmpty)
            #expect(String(buffer: body).contains(#""text":"lo""#), "the whole stream arrived")
            #expect(String(buffer: body).contains("message_stop"))
            #expect(stop.ending == .exited(0), "\(stop.standardError)")
            #expect(stop.standardOutput.contains("every running exchange finished"), "\(stop.standardOutput)")
            #expect(bodyDone <= stopDone, "stop returned only after the stream had finished")
            #expect(!DaemonScratch.isAlive(pid))
            #expect(try await scratch.run(["status"]).ending == .exited(3))
        }
    }

    /// An upstream stream that never ends.
    static let endlessStream = StubHTTPServer.Reply(
        headers: [("content-type", "text/event-stream")],
        steps: [.bytes(Array(UpstreamBodies.openAIStream[0].utf8)), .stall])

    @Test func stopCancelsWhatIsStillRunningAtTheTimeout() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try await StubHTTPServer.withRunning { stub in
            stub.reply = Self.endlessStream
            try scratch.writeConfig(upstream: stub.baseURL)
            let (base, pid) = try await Self.startDaemon(scratch)

            let response = try await Self.startStream(base: base)

            let stop = try await scratch.run(["stop", "--timeout", "1"])
            #expect(stop.ending == .exited(0), "\(stop.standardError)\nlog: \(scratch.log)")
            #expect(stop.standardOutput.contains("exchanges still running were cancelled"), "\(stop.standardOutput)")
            #expect(stop.standardError.contains("still running after 1.0 seconds"), "\(stop.standardError)")
            #expect(!DaemonScratch.isAlive(pid))
            _ = try? await response.body.collect(upTo: 1 << 20)
        }
    }

    /// Exchanges a stop cancels were answered 499 "client closed the
    /// connection" and logged as client hang-ups.
    @Test func exchangesAStopCancelsAreToldTheProxyIsShuttingDown() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try await StubHTTPServer.withRunning { stub in
            // A client that did not ask for a stream waits for its end, so
            // gets no head.
            stub.reply = Self.endlessStream
            try scratch.writeConfig(upstream: stub.baseURL)
            let record = scratch.root.appendingPathComponent("rec").path
            let start = try await scratch.run(
                ["start", "--config", scratch.configFile, "--port", "0", "--record", record])
            #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
            let base = try #require(DaemonScratch.baseURL(in: start.standardOutput))

            let streamed = try await Self.startStream(base: base)
            let unstreamedRequest = Self.messagesRequest(base: base)
            async let unstreamed = HTTPClient.shared.execute(unstreamedRequest, timeout: testRequestTimeout)
            #expect(await ConfigReloadTests.eventually { stub.requests.count == 2 }, "both reached the upstream")

            let stop = try await scratch.run(["stop", "--timeout", "1"])
            #expect(stop.ending == .exited(0), "\(stop.standardError)\nlog: \(scratch.log)")

            let answer = try await unstreamed
            let answerBody = String(buffer: try await answer.body.collect(upTo: 1 << 20))
            #expect(answer.status.code == 503, "\(answerBody)")
            // Said outright, for the SDKs: the request may be sent again as it is.
            #expect(answer.headers.first(name: "x-should-retry") == "true")
            #expect(answerBody.contains(#""type":"overloaded_error""#), "\(answerBody)")
            #expect(answerBody.contains("the proxy is shutting down"), "\(answerBody)")

            let stream = String(buffer: try await streamed.body.collect(upTo: 1 << 20))
            #expect(stream.contains("event: error"), "\(stream)")
            #expect(stream.contains(#""type":"overloaded_error""#), "\(stream)")
            #expect(stream.contains("the proxy is shutting down"), "\(stream)")

            #expect(!scratch.log.contains("client gone"), "\(scratch.log)")
            #expect(scratch.log.contains("503 in "), "\(scratch.log)")
            // Recorded as a shutdown, not as the client's doing.
            var stages: [String] = []
            var outcomes: [String] = []
            var lines: [String] = []
            for file in try CassetteReader.cassetteFiles(in: [record]) {
                for event in try CassetteReader.read(path: file).events {
                    lines.append("\(event.exchange ?? "") \(event.kind) \(event["stage"]?.stringValue ?? "")")
                    if event.kind == "error" { stages.append(event["stage"]?.stringValue ?? "?") }
                    if event.kind == "end" { outcomes.append(event["outcome"]?.stringValue ?? "?") }
                }
            }
            #expect(stages == ["shutdown", "shutdown"], "\(stages) \(lines)")
            #expect(outcomes == ["error", "error"], "\(outcomes)")
        }
    }

    /// A Gemini stream is complete at its finishReason (nothing is due after
    /// it): a stop that cancels it then ends it as the upstream's own end
    /// would, not with the shutdown's error, which a client would retry.
    @Test func aStopAfterAGeminiFinishReasonEndsTheStreamAsItWas() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try await StubHTTPServer.withRunning { stub in
            let finished =
                #"data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"finishReason":"STOP"}],"#
                + #""usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1}}"# + "\n\n"
            stub.reply = StubHTTPServer.Reply(
                headers: [("content-type", "text/event-stream")], steps: [.bytes(Array(finished.utf8)), .stall])
            try Data(
                """
                models:
                  - model_id: gemini
                    model_name: gemini-2.5-flash
                    api_base: \(stub.baseURL)/v1beta
                    format: gemini
                    api_key: sk-daemon-test
                """.utf8
            ).write(to: URL(fileURLWithPath: scratch.configFile))
            let record = scratch.root.appendingPathComponent("rec").path
            let start = try await scratch.run(
                ["start", "--config", scratch.configFile, "--port", "0", "--record", record])
            #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
            let base = try #require(DaemonScratch.baseURL(in: start.standardOutput))
            var request = HTTPClientRequest(url: base + "/v1/messages")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: ProxyHarness.messages(model: "gemini", stream: true).serialized()))
            let streamed = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
            #expect(streamed.status.code == 200)
            #expect(await ConfigReloadTests.eventually { stub.requests.count == 1 }, "the stream reached the upstream")

            let stop = try await scratch.run(["stop", "--timeout", "1"])
            #expect(stop.ending == .exited(0), "\(stop.standardError)\nlog: \(scratch.log)")
            let stream = String(buffer: try await streamed.body.collect(upTo: 1 << 20))
            #expect(stream.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), "\(stream)")
            #expect(!stream.contains("event: error"), "\(stream)")
            var outcomes: [String] = []
            for file in try CassetteReader.cassetteFiles(in: [record]) {
                for event in try CassetteReader.read(path: file).events where event.kind == "end" {
                    outcomes.append(event["outcome"]?.stringValue ?? "?")
                }
            }
            #expect(outcomes == ["ok"], "\(outcomes)")
        }
    }

    /// The usual wait of a whole answer from an OpenAI-style upstream: no
    /// head yet. Stopping closes the connection's input, which read as the
    /// client's hang-up (499) until the cancel was marked first.
    @Test func anExchangeStillWaitingForTheUpstreamsHeadIsToldTheProxyIsShuttingDown() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try await StubHTTPServer.withRunning { stub in
            stub.reply = StubHTTPServer.Reply(hangsBeforeHead: true)
            try scratch.writeConfig(upstream: stub.baseURL)
            let (base, _) = try await Self.startDaemon(scratch)
            let waiting = Self.messagesRequest(base: base)
            async let reply = HTTPClient.shared.execute(waiting, timeout: testRequestTimeout)
            #expect(await ConfigReloadTests.eventually { stub.requests.count == 1 }, "it reached the upstream")

            let stop = try await scratch.run(["stop", "--timeout", "1"])
            #expect(stop.ending == .exited(0), "\(stop.standardError)\nlog: \(scratch.log)")
            let answer = try await reply
            let body = String(buffer: try await answer.body.collect(upTo: 1 << 20))
            #expect(answer.status.code == 503, "\(body)")
            #expect(body.contains("the proxy is shutting down"), "\(body)")
            #expect(!scratch.log.contains("client gone"), "\(scratch.log)")
        }
    }

    @Test func aChangedFileAndSIGHUPReloadTheConfigAndErrorsAreLogged() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, UpstreamBodies.openAICompletion)
            try scratch.writeConfig(upstream: stub.baseURL, modelName: "up-1")
            let (base, pid) = try await Self.startDaemon(scratch)
            func ask() async throws -> (status: UInt, upstreamModel: String?) {
                let response = try await HTTPClient.shared.execute(
                    Self.messagesRequest(base: base), timeout: testRequestTimeout)
                _ = try await response.body.collect(upTo: 1 << 20)
                let upstream = try stub.requests.last.map { try JSONValue(parsing: $0.body) }
                return (response.status.code, upstream?["model"]?.stringValue)
            }
            func logEventually(contains text: String) async -> Bool {
                await ConfigReloadTests.eventually { scratch.log.contains(text) }
            }
            #expect(try await ask() == (200, "up-1"))

            try scratch.writeConfig(upstream: stub.baseURL, modelName: "up-2")
            #expect(await logEventually(contains: "config reloaded (the file changed): 1 model from"), "\(scratch.log)")
            #expect(try await ask() == (200, "up-2"))

            kill(pid, SIGHUP)
            #expect(await logEventually(contains: "config reloaded (SIGHUP)"), "\(scratch.log)")

            try Data("models:\n  - model_id: gpt\n    format: gemeni\n".utf8).write(
                to: URL(fileURLWithPath: scratch.configFile))
            #expect(
                await logEventually(contains: "refused, the previous config stays in force: \(scratch.configFile):"))
            kill(pid, SIGHUP)
            #expect(await logEventually(contains: "config reload (SIGHUP) refused"), "\(scratch.log)")
            #expect(try await ask() == (200, "up-2"), "the previous config is still in force")
            #expect(DaemonScratch.isAlive(pid))
            #expect(try await scratch.run(["stop"]).ending == .exited(0))
        }
    }

    /// `--otlp-endpoint http://user:PASSWORD@...` went as given into
    /// proxy.json and the `==> proxy start:` line of the log.
    @Test func aPasswordInAnOptionsURLIsNeitherLoggedNorKept() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")
        let endpoint = "http://user:PASSWORD@127.0.0.1:9/"
        let start = try await scratch.run(
            ["start", "--config", scratch.configFile, "--port", "0", "--otlp-endpoint", endpoint])
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let redacted = "http://user:\(Redactor.fingerprint("PASSWORD"))@127.0.0.1:9/"
        let state = try #require(try DaemonState.read(from: scratch.stateFile))
        #expect(state.arguments.suffix(2) == ["--otlp-endpoint", redacted])
        #expect(!(try String(contentsOfFile: scratch.stateFile, encoding: .utf8)).contains("PASSWORD"))
        let startLine = scratch.log.split(separator: "\n").first { $0.contains("proxy start:") } ?? ""
        #expect(startLine.hasSuffix("--otlp-endpoint \(redacted)"), "\(startLine)")
        #expect(!scratch.log.contains("PASSWORD"))

        // The kept options cannot start it again: restart says so, and the
        // running proxy is left alone.
        let pid = try #require(scratch.pid)
        let restart = try await scratch.run(["restart", "--timeout", "20"])
        #expect(restart.ending == .exited(1))
        #expect(restart.standardError.contains("proxy.json does not keep"), "\(restart.standardError)")
        #expect(DaemonScratch.isAlive(pid))
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }

    @Test func restartKeepsTheOptionsItRanWith() async throws {
        let scratch = try DaemonScratch()
        defer { scratch.cleanUp() }
        try scratch.writeConfig(upstream: "http://127.0.0.1:1")
        // A relative config path, from the scratch directory.
        let start = try await scratch.run(["start", "--config", "models.yaml", "--port", "0"], in: scratch.root)
        #expect(start.ending == .exited(0), "stderr: \(start.standardError)\nlog: \(scratch.log)")
        let first = try #require(scratch.pid)

        // From elsewhere: the relative path still means the same file.
        let restart = try await scratch.run(["restart", "--timeout", "20"], in: URL(fileURLWithPath: "/"))
        #expect(restart.ending == .exited(0), "stderr: \(restart.standardError)\nlog: \(scratch.log)")
        let second = try #require(scratch.pid)
        #expect(second != first)
        #expect(!DaemonScratch.isAlive(first))
        let status = try await scratch.run(["status"])
        #expect(status.standardOutput.contains("config:     \(scratch.configFile)"), "\(status.standardOutput)")
        #expect(try await scratch.run(["stop"]).ending == .exited(0))
    }
}
