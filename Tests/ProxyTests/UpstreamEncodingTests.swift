import TestSupport
import Testing
import Wire

/// Compressed upstream answers: gzip (and deflate) is asked for and
/// decoded, streams included; br is not asked for, and an answer in it
/// anyway is a clear 502 naming the encoding.
@Suite struct UpstreamEncodingTests {
    @Test func gzipAnswersAreDecoded() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        var ids: [String?] = []
        try await ProxyHarness.run(recording: cassette.recording) { proxy in
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "application/json"), ("content-encoding", "gzip")],
                steps: [.bytes(GzipStored.member(Array(UpstreamBodies.openAICompletion.utf8)))])
            let whole = try await proxy.post(json: ProxyHarness.messages())
            ids.append(whole.headers.first(name: "request-id"))
            #expect(whole.status == 200, "\(whole.text)")
            #expect(whole.json?["content"]?[0]?["text"] == "Hello there")
            // A stream, one gzip block per chunk, decoded as it arrives.
            let blocks = GzipStored.blocks(UpstreamBodies.anthropicStream.map { Array($0.utf8) })
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "text/event-stream"), ("content-encoding", "gzip")],
                steps: blocks.map { .bytes($0) })
            let streamed = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            ids.append(streamed.headers.first(name: "request-id"))
            #expect(sseFrames(streamed.text).last?.event == "message_stop", "\(streamed.text)")
            #expect(AnthropicStreamChecker.violations(inBytes: streamed.body).isEmpty)
            // Asked for: gzip and deflate, never br.
            let asked = proxy.stub.requests.map { $0.header("accept-encoding") }
            #expect(asked.allSatisfy { $0 == "deflate, gzip" }, "\(asked)")
        }
        for id in ids {
            #expect(try cassette.errors(of: id).stages == [])
            #expect(try cassette.errors(of: id).outcome == "ok")
        }
    }

    /// A gzip answer that cannot be decoded (corrupt, or cut short) is a 502
    /// saying so in words, and, for a whole answer, not "mid-stream".
    @Test func anUndecodableGzipAnswerIsA502SayingSo() async throws {
        try await ProxyHarness.run { proxy in
            let member = GzipStored.member(Array(UpstreamBodies.openAICompletion.utf8))
            var corrupt = member
            corrupt[10] = 0x07  // a block type deflate does not have
            let cases = [(corrupt, "could not be decoded"), (Array(member.dropLast(12)), "was cut short")]
            for (body, words) in cases {
                proxy.stub.reply = StubHTTPServer.Reply(
                    status: 200, headers: [("content-type", "application/json"), ("content-encoding", "gzip")],
                    steps: [.bytes(body)])
                let reply = try await proxy.post(json: ProxyHarness.messages())
                #expect(reply.status == 502, "\(reply.text)")
                let message = reply.errorMessage ?? ""
                #expect(message.contains("while sending its answer: its compressed body \(words)"), "\(message)")
            }
        }
    }

    /// Plain and gzip answers in turn, on connections the pool reuses, each
    /// read as it was sent: the decoder's state is per answer, not per
    /// connection. (A decoder added only at a connection's first encoded
    /// answer, tried in the tenth session, passed this; with the head not
    /// handed to it, it failed here.)
    @Test func plainAndGzipAnswersInTurnAreEachRead() async throws {
        try await ProxyHarness.run { proxy in
            let body = Array(UpstreamBodies.openAICompletion.utf8)
            for gzip in [false, true, false, true, true, false] {
                var headers = [("content-type", "application/json")]
                if gzip { headers.append(("content-encoding", "gzip")) }
                proxy.stub.reply = StubHTTPServer.Reply(
                    status: 200, headers: headers, steps: [.bytes(gzip ? GzipStored.member(body) : body)])
                let answer = try await proxy.post(json: ProxyHarness.messages())
                #expect(answer.status == 200, "gzip \(gzip): \(answer.text)")
                #expect(answer.json?["content"]?[0]?["text"] == "Hello there", "gzip \(gzip)")
            }
        }
    }

    @Test(arguments: [false, true])
    func brotliIsRefusedNamingTheEncoding(stream: Bool) async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        var id: String?
        try await ProxyHarness.run(recording: cassette.recording) { proxy in
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "application/json"), ("content-encoding", "br")],
                steps: [.bytes([0x8B, 0x02, 0x80, 0x7B, 0x7D, 0x03])])
            let reply = try await proxy.post(json: ProxyHarness.messages(stream: stream))
            id = reply.headers.first(name: "request-id")
            #expect(reply.status == 502)
            #expect(reply.errorType == "api_error")
            #expect(reply.errorMessage?.contains("content-encoding `br`") == true, "\(reply.text)")
            let openAI = try await proxy.post(
                "/v1/chat/completions", json: ["model": "gpt", "messages": [["role": "user", "content": "hi"]]])
            #expect(openAI.status == 502)
            #expect(openAI.json?["error"]?["message"]?.stringValue?.contains("`br`") == true, "\(openAI.text)")
            try await expectStillServing(proxy)
        }
        #expect(try cassette.errors(of: id).stages == ["upstream_response"])
        #expect(try cassette.errors(of: id).outcome == "error")
    }

    /// NIO decodes the first coding listed only: `identity, gzip` passed gzip
    /// bytes on as JSON, `gzip, gzip` was decoded once.
    @Test(arguments: ["identity, gzip", "gzip, gzip", "deflate, gzip"])
    func aListOfCodingsItCannotDecodeIsRefused(encoding: String) async throws {
        try await ProxyHarness.run { proxy in
            let gzip = GzipStored.member(Array(UpstreamBodies.openAICompletion.utf8))
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "application/json"), ("content-encoding", encoding)],
                steps: [.bytes(GzipStored.member(gzip))])
            let reply = try await proxy.post(json: ProxyHarness.messages())
            #expect(reply.status == 502, "\(reply.text)")
            #expect(reply.errorMessage?.contains("content-encoding `\(encoding)`") == true, "\(reply.text)")
            // One coding, or one and identity after it, is read.
            proxy.stub.reply = StubHTTPServer.Reply(
                status: 200, headers: [("content-type", "application/json"), ("content-encoding", "gzip, identity")],
                steps: [.bytes(gzip)])
            let read = try await proxy.post(json: ProxyHarness.messages())
            #expect(read.json?["content"]?[0]?["text"] == "Hello there", "\(read.text)")
        }
    }
}
