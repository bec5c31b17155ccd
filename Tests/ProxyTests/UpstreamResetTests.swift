import TestSupport
import Testing
import Wire

/// Faults below HTTP, from a raw TCP upstream: resets before and after the
/// response head and inside an event, broken chunked encoding, and a body
/// that ends with the connection. Each is answered in the client's shape,
/// recorded at its stage, and the proxy keeps serving.
@Suite struct UpstreamResetTests {
    /// The head of a streamed answer, chunked.
    static let streamHead = RawFaultServer.head([
        "Content-Type: text/event-stream", "Transfer-Encoding: chunked",
    ])
    /// Anthropic's stream up to its complete `message_start`.
    static let messageStart = UpstreamBodies.anthropicStream(before: "content_block_start")

    /// Runs `body` against a proxy whose routes all lead to a raw fault
    /// server, recording; afterwards the proxy must still answer.
    static func run(
        _ body: (ProxyHarness, RawFaultServer) async throws -> Void
    ) async throws -> FaultCassette {
        let cassette = try FaultCassette()
        try await RawFaultServer.withRunning { raw in
            try await ProxyHarness.run(timeout: "30s", upstreamBase: raw.baseURL, recording: cassette.recording) {
                proxy in
                try await body(proxy, raw)
                let completion = Array(UpstreamBodies.openAICompletion.utf8)
                raw.script = [
                    RawFaultServer.head(["Content-Type: application/json", "Content-Length: \(completion.count)"]),
                    .bytes(completion),
                ]
                let reply = try await proxy.post(json: ProxyHarness.messages())
                #expect(reply.status == 200, "still serving: \(reply.text)")
                #expect(reply.json?["type"] == "message")
            }
        }
        return cassette
    }

    @Test(arguments: [false, true])
    func resetBeforeTheHeadIs502(stream: Bool) async throws {
        var id: String?
        let cassette = try await Self.run { proxy, raw in
            raw.script = [.reset]
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: stream))
            id = reply.headers.first(name: "request-id")
            #expect(reply.status == 502)
            #expect(reply.errorType == "api_error")
            #expect(reply.errorMessage?.contains("upstream claude") == true, "\(reply.text)")
            #expect(reply.errorMessage?.contains("reset") == true, "\(reply.text)")
            // An OpenAI client gets the same in its own shape.
            let openAI = try await proxy.post(
                "/v1/chat/completions",
                json: ["model": "gpt", "messages": [["role": "user", "content": "hi"]], "stream": .bool(stream)])
            #expect(openAI.status == 502)
            #expect(openAI.json?["error"]?["message"]?.stringValue?.contains("upstream gpt") == true, "\(openAI.text)")
            #expect(openAI.json?["type"] == nil)
        }
        defer { cassette.remove() }
        let recorded = try cassette.errors(of: id)
        #expect(recorded.stages == ["upstream_connect"])
        #expect(recorded.outcome == "error")
    }

    @Test func resetAfterTheHeadEndsTheStreamWithAnErrorEvent() async throws {
        var ids: [String?] = []
        let cassette = try await Self.run { proxy, raw in
            raw.script = [Self.streamHead, .reset]
            let streamed = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            ids.append(streamed.headers.first(name: "request-id"))
            #expect(streamed.status == 200)
            let last = try #require(sseFrames(streamed.text).last)
            #expect(last.event == "error")
            #expect(try JSONValue(parsing: last.data)["error"]?["type"] == "api_error")
            #expect(last.data.contains("mid-stream"))
            // Not streamed: nothing has gone out, so it is a 502.
            let whole = try await proxy.post(json: ProxyHarness.messages(model: "claude"))
            ids.append(whole.headers.first(name: "request-id"))
            #expect(whole.status == 502)
            #expect(whole.errorType == "api_error")
        }
        defer { cassette.remove() }
        #expect(try cassette.errors(of: ids[0]).stages == ["upstream_stream"])
        #expect(try cassette.errors(of: ids[0]).outcome == "error")
        #expect(try cassette.errors(of: ids[1]).stages == ["upstream_response"])
    }

    @Test func resetInsideAnEventEndsTheStreamAfterTheWholeEvents() async throws {
        var id: String?
        let cassette = try await Self.run { proxy, raw in
            raw.script = [
                Self.streamHead, RawFaultServer.chunk(Self.messageStart),
                RawFaultServer.chunk("event: content_block_start\ndata: {\"type\":\"content_bl"), .reset,
            ]
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            id = reply.headers.first(name: "request-id")
            let frames = sseFrames(reply.text)
            #expect(frames.map(\.event) == ["message_start", "error"], "\(reply.text)")
        }
        defer { cassette.remove() }
        let recorded = try cassette.errors(of: id)
        #expect(recorded.stages == ["upstream_stream"])
        #expect(recorded.outcome == "error")
        // What came before the reset is in the cassette as received.
        let chunks = try cassette.exchanges()[id ?? ""]?.filter { $0.kind == "upstream_chunk" } ?? []
        #expect(chunks.contains { $0["text"]?.stringValue?.contains("\"type\":\"content_bl") == true })
    }

    @Test(arguments: [false, true])
    func malformedChunkedEncodingIsAClearError(stream: Bool) async throws {
        var id: String?
        let cassette = try await Self.run { proxy, raw in
            raw.script = [
                Self.streamHead, RawFaultServer.chunk(Self.messageStart), .bytes(Array("zz\r\nnot a chunk\r\n".utf8)),
            ]
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: stream))
            id = reply.headers.first(name: "request-id")
            if stream {
                #expect(reply.status == 200)
                let last = try #require(sseFrames(reply.text).last)
                #expect(last.event == "error")
                #expect(last.data.contains("HTTP framing was malformed"), "\(last.data)")
            } else {
                #expect(reply.status == 502)
                #expect(reply.errorMessage?.contains("HTTP framing was malformed") == true, "\(reply.text)")
            }
        }
        defer { cassette.remove() }
        let recorded = try cassette.errors(of: id)
        #expect(recorded.stages == [stream ? "upstream_stream" : "upstream_response"])
        #expect(recorded.outcome == "error")
    }

    @Test func aBodyEndedByClosingTheConnectionIsWhole() async throws {
        var ids: [String?] = []
        let cassette = try await Self.run { proxy, raw in
            // HTTP/1.0 style: no length, no chunks; the close ends the body.
            raw.script = [
                RawFaultServer.head(["Content-Type: text/event-stream"], version: "HTTP/1.0"),
                .bytes(Array(UpstreamBodies.anthropicStream.joined().utf8)), .close,
            ]
            let streamed = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            ids.append(streamed.headers.first(name: "request-id"))
            #expect(streamed.status == 200)
            #expect(sseFrames(streamed.text).last?.event == "message_stop", "\(streamed.text)")
            #expect(AnthropicStreamChecker.violations(inBytes: streamed.body).isEmpty)
            raw.script = [
                RawFaultServer.head(["Content-Type: application/json", "Connection: close"]),
                .bytes(Array(UpstreamBodies.openAICompletion.utf8)), .close,
            ]
            let whole = try await proxy.post(json: ProxyHarness.messages(model: "gpt"))
            ids.append(whole.headers.first(name: "request-id"))
            #expect(whole.status == 200, "\(whole.text)")
            #expect(whole.json?["content"]?[0]?["text"] == "Hello there")
        }
        defer { cassette.remove() }
        for id in ids {
            let recorded = try cassette.errors(of: id)
            #expect(recorded.stages == [])
            #expect(recorded.outcome == "ok")
        }
    }
}
