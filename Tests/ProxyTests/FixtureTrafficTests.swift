import Convert
import Foundation
import TestSupport
import Testing
import Wire

/// Real provider streams and real Claude Code requests through the running
/// proxy, with the real converters.
@Suite struct FixtureTrafficTests {
    static let openAIStreams = Fixtures.argumentFiles(in: "providers/openai-chat", suffix: ".chunks.txt")
    static let anthropicStreams = Fixtures.argumentFiles(in: "providers/anthropic", suffix: ".chunks.txt")

    @Test func fixturesArePresent() throws {
        try Fixtures.requireFound(Self.openAIStreams, in: "providers/openai-chat", suffix: ".chunks.txt")
        try Fixtures.requireFound(Self.anthropicStreams, in: "providers/anthropic", suffix: ".chunks.txt")
    }

    /// Each provider stream, sent in small uneven chunks, comes out as a
    /// valid Anthropic event stream.
    @Test(arguments: openAIStreams)
    func openAIFixtureStreamBecomesAValidAnthropicStream(path: String) async throws {
        try await ProxyHarness.run { proxy in
            let bytes = try Fixtures.sseBytes(chunksFile: path)
            // Big fixtures in bigger pieces: the splits still fall everywhere.
            proxy.stub.reply = .eventStream(splitting: bytes, maxPiece: bytes.count > 10_000 ? 97 : 7)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            #expect(reply.status == 200)
            let violations = AnthropicStreamChecker.violations(inBytes: reply.body)
            #expect(violations.isEmpty, "\(URL(fileURLWithPath: path).lastPathComponent): \(violations)")
            #expect(sseFrames(reply.text).last?.event == "message_stop")
        }
    }

    /// Anthropic streams come out valid, and exactly as the converter makes
    /// them from the whole stream at once: what `log-replay verify` replays.
    @Test(arguments: anthropicStreams)
    func anthropicFixtureStreamIsRelayedAsTheConverterSays(path: String) async throws {
        try await ProxyHarness.run { proxy in
            let bytes = try Fixtures.sseBytes(chunksFile: path)
            proxy.stub.reply = .eventStream(splitting: bytes)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            #expect(reply.status == 200)
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            let options = RouteOptions(modelID: "claude", upstreamDialect: .anthropic, upstreamModel: "upstream-claude")
            var converter = UpstreamStreamConverter(route: options, requestedModel: "claude")
            let expected = (converter.receive(bytes) + converter.finish(error: nil)).flatMap { $0.encoded() }
            #expect(reply.body == expected)
        }
    }

    /// Claude Code's own requests (tools, system blocks, thinking, cache
    /// control) go through to an OpenAI-format upstream and back.
    @Test func claudeCodeRequestsReachAnOpenAIUpstream() async throws {
        let lines = try String(
            contentsOfFile: try Fixtures.path("claude-code/write-tool-session.requests.jsonl"), encoding: .utf8
        ).split(separator: "\n")
        #expect(!lines.isEmpty)
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream)
            for line in lines {
                var body = try #require(try JSONValue(parsing: String(line))["body"])
                body["model"] = "gpt"
                let reply = try await proxy.post("/v1/messages?beta=true", json: body)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            }
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["model"] == "upstream-gpt")
            #expect(sent["tools"]?.arrayValue?.isEmpty == false)
            #expect(sent["stream"] == true)
        }
    }
}
