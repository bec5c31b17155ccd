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

/// The `proxy` executable itself: started as a user starts it, on port 0,
/// stopped with SIGTERM.
@Suite(.serialized) struct ProxyExecutableTests {

    @Test func servesRecordsAndStopsCleanlyOnSIGTERM() async throws {
        let executable = try ChildProcess.builtExecutable("proxy")
        let scratch = try ExecutableScratch.directory("sb-cli")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cassettes = scratch.appendingPathComponent("cassettes")
        let configFile = scratch.appendingPathComponent("models.yaml")

        var requestID: String?
        try await StubHTTPServer.withRunning { stub in
            try Data(
                """
                models:
                  - model_id: gpt
                    model_name: upstream-gpt
                    api_base: \(stub.baseURL)/v1
                    format: openai
                    api_key: sk-cli-route-key
                """.utf8
            ).write(to: configFile)
            stub.reply = .eventStream(UpstreamBodies.openAIStream)
            let child = try await ChildProcess(
                executable,
                arguments: [
                    "serve", "--config", configFile.path, "--port", "0", "--record", cassettes.path,
                    "--log-level", "warning",
                ], environment: ExecutableScratch.environment(home: scratch))
            defer { child.killIfRunning() }

            let line = try #require(
                await child.outputLine(startingWith: "ANTHROPIC_BASE_URL="),
                "no ANTHROPIC_BASE_URL line; stdout: \(child.standardOutput) stderr: \(child.standardError)")
            let base = String(line.dropFirst("ANTHROPIC_BASE_URL=".count))
            #expect(base.wholeMatch(of: /http:\/\/127\.0\.0\.1:[1-9][0-9]*/) != nil, "\(base)")
            #expect(child.standardOutput.contains("Recording to \(cassettes.path)"))

            var request = HTTPClientRequest(url: base + "/v1/messages")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: ProxyHarness.messages(model: "gpt", stream: true).serialized()))
            let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status.code == 200)
            requestID = response.headers.first(name: "request-id")
            #expect(AnthropicStreamChecker.violations(inBytes: Array(body.readableBytesView)).isEmpty)
            #expect(String(buffer: body).contains(#""text":"lo""#))
            #expect(stub.requests.first?.header("authorization") == "Bearer sk-cli-route-key")

            child.send(SIGTERM)
            let ending = await child.waitForEnding()
            #expect(ending == .exited(0), "stderr: \(child.standardError)")
        }

        let files = try CassetteReader.cassetteFiles(in: [cassettes.path])
        #expect(files.count == 1)
        let file = try #require(files.first)
        #expect(file.hasSuffix(".jsonl.lz4"))
        let contents = try CassetteReader.read(path: file)
        #expect(contents.tornTail == nil, "the LZ4 frame was closed on SIGTERM")
        #expect(contents.header?.kind == "cassette")
        let id = try #require(requestID)
        let kinds = contents.events.filter { $0.exchange == id }.map(\.kind)
        #expect(kinds.first == "client_request")
        #expect(kinds.last == "end")
        #expect(kinds.contains("upstream_chunk") && kinds.contains("client_event"))
        let text = contents.events.map { $0.json.serializedString() }.joined(separator: "\n")
        #expect(!text.contains("sk-cli-route-key"))
        let check = try await ChildProcess(URL(fileURLWithPath: try LZ4Tool.path()), arguments: ["-t", file])
        #expect(await check.waitForEnding() == .exited(0), "lz4 -t: \(check.standardError)")
    }

    @Test func aConfigErrorExitsNonZeroNamingTheFileAndLine() async throws {
        let executable = try ChildProcess.builtExecutable("proxy")
        let scratch = try ExecutableScratch.directory("sb-cli")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configFile = scratch.appendingPathComponent("broken.yaml")
        try Data(
            """
            models:
              - model_id: g
                model_name: gemini-2.5-flash
                api_base: https://generativelanguage.googleapis.com/v1beta
                format: gemeni
            """.utf8
        ).write(to: configFile)
        let child = try await ChildProcess(
            executable, arguments: ["serve", "--config", configFile.path, "--port", "0"],
            environment: ExecutableScratch.environment(home: scratch))
        defer { child.killIfRunning() }
        let ending = try #require(await child.waitForEnding())
        #expect(ending == .exited(78))
        let errors = child.standardError
        #expect(errors.contains("\(configFile.path):5:"), "\(errors)")
        #expect(errors.contains("unknown format `gemeni`"))
        #expect(errors.contains("Did you mean `gemini`?"))
        #expect(!child.standardOutput.contains("ANTHROPIC_BASE_URL"))
    }

    /// Also: the recorder was open when listening failed, and the exit
    /// closes it, so the cassette ends with a complete LZ4 frame.
    @Test(arguments: [true, false]) func aPortInUseSaysWhichAndHowToPickAnother(demo: Bool) async throws {
        let executable = try ChildProcess.builtExecutable("proxy")
        let scratch = try ExecutableScratch.directory("sb-cli")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cassettes = scratch.appendingPathComponent("cassettes").path
        let configFile = scratch.appendingPathComponent("models.yaml").path
        try Data(
            "models:\n  - model_id: m\n    model_name: m\n    api_base: http://127.0.0.1:1\n    format: openai\n".utf8
        )
        .write(to: URL(fileURLWithPath: configFile))
        try await StubHTTPServer.withRunning { stub in
            let child = try await ChildProcess(
                executable,
                arguments: ["serve"] + (demo ? ["--demo"] : ["--config", configFile])
                    + ["--port", "\(stub.port)", "--record", cassettes],
                environment: ExecutableScratch.environment(home: scratch))
            defer { child.killIfRunning() }
            #expect(await child.waitForEnding() == .exited(1))
            let errors = child.standardError
            #expect(
                errors.contains("port \(stub.port) on 127.0.0.1 is already in use")
                    && errors.contains("--port 0 for a free one"), "\(errors)")
            #expect(!errors.contains("errno"), "\(errors)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: cassettes)
        #expect(files.count == 1, "\(files)")
        for file in files {
            let contents = try CassetteReader.read(path: cassettes + "/" + file)
            #expect(contents.tornTail == nil, "the cassette was left unfinished: \(contents.tornTail ?? "")")
        }
    }

    @Test func checkPrintsATableAndFailsWhenAnUpstreamIsDown() async throws {
        let executable = try ChildProcess.builtExecutable("proxy")
        let scratch = try ExecutableScratch.directory("sb-cli")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configFile = scratch.appendingPathComponent("models.yaml")
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, #"{"object":"list","data":[{"id":"gpt-live"}]}"#)
            try Data(
                """
                models:
                  - model_id: live
                    model_name: gpt-live
                    api_base: \(stub.baseURL)/v1
                    format: openai
                  - model_id: dead
                    model_name: gpt-dead
                    api_base: http://127.0.0.1:1/v1
                    format: openai
                """.utf8
            ).write(to: configFile)
            let child = try await ChildProcess(
                executable, arguments: ["check", "--config", configFile.path, "--api-key", "sk-cli-check-key"],
                environment: ExecutableScratch.environment(home: scratch))
            defer { child.killIfRunning() }
            #expect(await child.waitForEnding() == .exited(1))
            let lines = child.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("route") == true, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("live ") && $0.contains(" ok ") }, "\(lines)")
            #expect(
                lines.contains { $0.hasPrefix("dead ") && $0.contains("FAILED") && $0.contains("connection refused") })
            #expect(lines.last == "1 of 2 routes failed.")
            #expect(!child.standardOutput.contains("sk-cli-check-key"))
            #expect(stub.requests.first?.header("authorization") == "Bearer sk-cli-check-key")
        }
    }
}
