import SSE
import TestSupport
import Testing
import Wire

/// What an upstream stream may not do to the proxy: send bytes that are not
/// UTF-8, one huge event, or never end. Each has a defined answer and a
/// bound; none crashes the proxy or holds unbounded memory.
@Suite struct UpstreamStreamLimitTests {
    /// An Anthropic text delta event whose text is `text` (raw bytes).
    private static func delta(_ text: [UInt8]) -> [UInt8] {
        Array(
            #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""#
                .utf8)
            + text + Array("\"}}\n\n".utf8)
    }

    private static let opening = Array(UpstreamBodies.anthropicStream(before: "ping").utf8)
    private static let closing = Array(
        (#"event: content_block_stop\#ndata: {"type":"content_block_stop","index":0}\#n\#n"#
            + #"event: message_delta\#ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}\#n\#n"#
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").utf8)

    @Test func invalidUTF8InAnEventBecomesReplacementCharacters() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        var id: String?
        try await ProxyHarness.run(recording: cassette.recording) { proxy in
            let bytes = Self.opening + Self.delta(Array("ok ".utf8) + [0xFF, 0xC3] + Array(" end".utf8)) + Self.closing
            proxy.stub.reply = .eventStream(splitting: bytes)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            id = reply.headers.first(name: "request-id")
            let deltas = sseFrames(reply.text).filter { $0.event == "content_block_delta" }
            let text = try deltas.compactMap { try JSONValue(parsing: $0.data)["delta"]?["text"]?.stringValue }.joined()
            #expect(text == "ok \u{FFFD}\u{FFFD} end", "\(reply.text)")
            #expect(sseFrames(reply.text).last?.event == "message_stop")
            try await expectStillServing(proxy)
        }
        let events = try cassette.exchanges()[id ?? ""] ?? []
        // The upstream's bytes are kept as they came: the chunks that are
        // not UTF-8 as base64.
        #expect(events.contains { $0.kind == "upstream_chunk" && $0["b64"] != nil })
        #expect(try cassette.errors(of: id).outcome == "ok")
    }

    @Test func aTenMegabyteEventIsRelayedWhole() async throws {
        try await ProxyHarness.run(timeout: "60s") { proxy in
            let text = [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
            let event = Self.delta(text)
            var steps: [StubHTTPServer.Step] = [.bytes(Self.opening)]
            for start in stride(from: 0, to: event.count, by: 256 << 10) {
                steps.append(.bytes(Array(event[start..<min(event.count, start + (256 << 10))])))
            }
            steps.append(.bytes(Self.closing))
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "text/event-stream")], steps: steps)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            // Read as bytes: the tests' string helpers take many seconds over 10 MB.
            var parser = SSEParser()
            let events = parser.parse(reply.body) + parser.finish()
            let deltas = events.filter { $0.event == "content_block_delta" }
            #expect(deltas.count == 1)
            let delta = try JSONValue(parsing: Array((deltas.first?.data ?? "").utf8))
            #expect(delta["delta"]?["text"]?.stringValue?.utf8.count == 10 << 20)
            #expect(events.last?.event == "message_stop")
            try await expectStillServing(proxy)
        }
    }

    @Test func anEventOverTheLimitEndsTheStreamWithAnError() async throws {
        // The limit lowered to 1 MiB (32 MiB by default), to spare CI the bytes.
        try await ProxyHarness.run(maxStreamEventBytes: 1 << 20) { proxy in
            let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
            var steps: [StubHTTPServer.Step] = [.bytes(Self.opening), .bytes(Array("data: ".utf8))]
            steps += Array(repeating: .bytes(piece), count: 17)
            steps.append(.stall)
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "text/event-stream")], steps: steps)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            let last = try #require(sseFrames(reply.text).last)
            #expect(last.event == "error")
            #expect(last.data.contains("larger than 1 MiB"), "\(last.data)")
            #expect(await proxy.stub.waitForHangUps(1, limit: .seconds(30)))
            try await expectStillServing(proxy)
        }
    }

    @Test func aStreamThatNeverEndsIsEndedAtTheRoutesMaxStreamDuration() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        var id: String?
        let yaml = { (base: String) in
            """
            models:
              - model_id: claude
                model_name: upstream-claude
                api_base: \(base)
                format: anthropic
                timeout: 30s
                max_stream_duration: 2s
              - model_id: gpt
                model_name: upstream-gpt
                api_base: \(base)/v1
                format: openai
            """
        }
        try await ProxyHarness.run(recording: cassette.recording, configYAML: yaml) { proxy in
            // Comment lines every 20 ms: never silent, never done.
            var reply = StubHTTPServer.Reply.eventStream([String(decoding: Self.opening, as: UTF8.self)])
            reply.steps.append(.stall)
            proxy.stub.reply = reply
            let started = ContinuousClock.now
            let answer = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            id = answer.headers.first(name: "request-id")
            #expect(ContinuousClock.now - started >= .seconds(2))
            let last = try #require(sseFrames(answer.text).last)
            #expect(last.event == "error")
            #expect(last.data.contains("max_stream_duration"), "\(last.data)")
            #expect(await proxy.stub.waitForHangUps(1, limit: .seconds(30)), "the upstream request was dropped")
            try await expectStillServing(proxy)
        }
        #expect(try cassette.errors(of: id).stages == ["upstream_stream"])
        #expect(try cassette.errors(of: id).outcome == "error")
    }
}
