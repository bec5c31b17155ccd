import Convert
import TestSupport
import Testing
import Wire

/// An upstream asked to stream that answers with one JSON body (a gateway
/// ignoring `stream: true`, or an error put in a 200): its answer or its
/// error reaches the client's stream, where the client was once told only
/// that the stream "ended early".
@Suite struct StreamAnsweredWholeTests {
    private static let anthropicMessage = """
        {"id":"msg_9","type":"message","role":"assistant","model":"upstream-claude",\
        "content":[{"type":"text","text":"Whole hello"}],"stop_reason":"end_turn","stop_sequence":null,\
        "usage":{"input_tokens":3,"output_tokens":2}}
        """

    @Test func anErrorIn200ReachesAConvertedStreamWithTheUpstreamsWords() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAIError("weird 200 error"))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            let frames = sseFrames(reply.text)
            let error = try #require(frames.last { $0.event == "error" }, "\(reply.text)")
            let message = try JSONValue(parsing: Array(error.data.utf8))["error"]?["message"]?.stringValue
            #expect(message?.contains("answered HTTP 200 with an error: weird 200 error") == true, "\(reply.text)")
            #expect(!reply.text.contains("ended early"))
        }
    }

    @Test func aWholeAnswerToAStreamingRequestBecomesTheStream() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            #expect(reply.status == 200)
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty, "\(reply.text)")
            let text = sseFrames(reply.text).filter { $0.event == "content_block_delta" }
                .compactMap { try? JSONValue(parsing: Array($0.data.utf8))["delta"]?["text"]?.stringValue }.joined()
            #expect(text == "Hello there")
            #expect(reply.text.contains("message_stop"))
        }
    }

    @Test func anAnthropicClientOfAnAnthropicRouteGetsTheWholeMessageAsAStream() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, Self.anthropicMessage)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty, "\(reply.text)")
            #expect(reply.text.contains(#""text":"Whole hello""#), "\(reply.text)")
            #expect(!reply.text.contains("ended early"))
        }
    }

    /// Some servers label their event stream `application/json`: it is read
    /// as the stream it is, not collected and refused as "not JSON".
    @Test func anEventStreamLabelledJSONIsStillAStream() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAIStream.joined())
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty, "\(reply.text)")
            let text = sseFrames(reply.text).filter { $0.event == "content_block_delta" }
                .compactMap { try? JSONValue(parsing: Array($0.data.utf8))["delta"]?["text"]?.stringValue }.joined()
            #expect(text == "Hello", "\(reply.text)")
        }
    }

    /// A JSON body held whole past the stream's bound ends the stream with
    /// an error that names the body, not an event the upstream never sent.
    @Test func aWholeAnswerOverTheLimitSaysItWasTheBody() async throws {
        // The limit lowered to 1 MiB (32 MiB by default), to spare CI the bytes.
        try await ProxyHarness.run(maxStreamEventBytes: 1 << 20) { proxy in
            let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
            var steps: [StubHTTPServer.Step] = [.bytes(Array(#"{"id":"chatcmpl-1","object":""#.utf8))]
            steps += Array(repeating: .bytes(piece), count: 17)
            steps.append(.stall)
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "application/json")], steps: steps)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            let error = try #require(sseFrames(reply.text).last { $0.event == "error" }, "\(reply.text)")
            let message = try JSONValue(parsing: Array(error.data.utf8))["error"]?["message"]?.stringValue
            #expect(message?.hasPrefix("upstream gpt (") == true, "\(error.data)")
            #expect(
                message?.hasSuffix(
                    ") answered the streaming request with one JSON body larger than 1 MiB; "
                        + "the proxy stopped reading it") == true, "\(error.data)")
            #expect(await proxy.stub.waitForHangUps(1, limit: .seconds(30)))
        }
    }

    @Test func aBodyLabelledJSONIsWholeOnlyWhenItIsAnObject() {
        #expect(UpstreamStreamConverter.startsAnObject(Array(" \r\n{\"a\":1}".utf8)) == true)
        #expect(UpstreamStreamConverter.startsAnObject(Array("data: {}".utf8)) == false)
        #expect(UpstreamStreamConverter.startsAnObject(Array(": ping".utf8)) == false)
        #expect(UpstreamStreamConverter.startsAnObject(Array(" \n".utf8)) == nil)
    }

    @Test func contentTypesReadWhole() {
        for type in ["application/json", "application/json; charset=utf-8", "Application/JSON", " application/json "] {
            #expect(UpstreamStreamConverter.answersWhole(contentType: type, dialect: .openai), "\(type)")
        }
        for type in ["text/event-stream", "application/jsonl", "application/x-ndjson", "text/json", "", "application/"]
        {
            #expect(!UpstreamStreamConverter.answersWhole(contentType: type, dialect: .openai), "\(type)")
        }
        #expect(!UpstreamStreamConverter.answersWhole(contentType: nil, dialect: .anthropic))
        // Gemini's stream without alt=sse is a JSON array by design.
        #expect(!UpstreamStreamConverter.answersWhole(contentType: "application/json", dialect: .gemini))
    }
}
