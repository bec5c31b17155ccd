import Cassette
import Foundation
import Proxy
import TestSupport
import Testing
import Wire

/// An upstream whose connection fails after its stream's last event (its
/// content-length overstated, or a close before the chunked end): the
/// client's stream was complete, so it ends as it was, on a pass-through
/// route as on a converted one, and the exchange is not a failure; the
/// broken connection is a note in the cassette.
@Suite struct FailureAfterTheStreamsEndTests {
    @Test(arguments: ["/v1/chat/completions", "/v1/messages"])
    func theStreamEndsAsItWasAndTheExchangeSucceeds(path: String) async throws {
        var reply = StubHTTPServer.Reply.eventStream(UpstreamBodies.openAIStream)
        reply.steps.append(.cut)
        let request: JSONValue =
            path == "/v1/messages"
            ? ProxyHarness.messages(stream: true)
            : ["model": "gpt", "stream": true, "messages": [["role": "user", "content": "Hi"]]]
        let (answer, recorded) = try await Self.exchange(path: path, request: request, reply: reply)
        #expect(answer.status == 200)
        let last = try #require(sseFrames(answer.text).last)
        #expect(last.data == "[DONE]" || last.event == "message_stop", "\(answer.text)")
        #expect(!answer.text.contains("\"error\""), "\(answer.text)")
        Self.expectAQuietEnd(recorded)
    }

    /// Gemini sends no terminator: its finishReason, with the last
    /// usageMetadata, is where its streams end (the recorded fixtures end
    /// there), so a connection that fails after it leaves the client's
    /// stream complete: passed through as it came, or converted and closed
    /// as the upstream's own end would close it.
    @Test(arguments: [
        "/v1beta/models/gemini:streamGenerateContent?alt=sse", "/v1/messages", "/v1/chat/completions",
    ])
    func aGeminiStreamCutAfterItsFinishReasonEndsAsItWas(path: String) async throws {
        let fixture = try Fixtures.path("providers/gemini/google-text.chunks.txt")
        let payloads = try Fixtures.chunkPayloads(atPath: fixture)
        var reply = StubHTTPServer.Reply.eventStream([
            String(decoding: try Fixtures.sseBytes(chunksFile: fixture), as: UTF8.self)
        ])
        reply.steps.append(.cut)
        let request: JSONValue =
            switch path {
            case "/v1/messages": ProxyHarness.messages(model: "gemini", stream: true)
            case "/v1/chat/completions":
                ["model": "gemini", "stream": true, "messages": [["role": "user", "content": "Hi"]]]
            default: ["contents": [["role": "user", "parts": [["text": "Hi"]]]]]
            }
        let (answer, recorded) = try await Self.exchange(path: path, request: request, reply: reply)
        #expect(answer.status == 200)
        let frames = sseFrames(answer.text)
        switch path {
        case "/v1/messages":
            #expect(frames.suffix(2).map(\.event) == ["message_delta", "message_stop"], "\(answer.text)")
            #expect(frames.last { $0.event == "message_delta" }?.data.contains(#""stop_reason":"end_turn""#) == true)
        case "/v1/chat/completions":
            #expect(frames.last?.data == "[DONE]", "\(answer.text)")
        default:
            #expect(frames.map(\.data) == payloads, "\(answer.text)")
        }
        #expect(!answer.text.contains("\"error\""), "\(answer.text)")
        Self.expectAQuietEnd(recorded)
    }

    /// Events an upstream sends after its stream's terminator (`[DONE]`,
    /// `message_stop`) do not reach the client, whose stream was complete
    /// (its SDK may have stopped reading, or may read them as a second
    /// answer): they are dropped, and the cassette says so.
    @Test(arguments: ["gpt", "claude"])
    func eventsAfterTheStreamsEndAreNotRelayed(model: String) async throws {
        let stream = model == "gpt" ? UpstreamBodies.openAIStream : UpstreamBodies.anthropicStream
        let late =
            model == "gpt"
            ? #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-gpt","choices":[{"index":0,"delta":{"content":"late"},"finish_reason":null}]}"#
                + "\n\n"
            : #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}"#
                + "\n\n"
        let request: JSONValue =
            model == "gpt"
            ? ["model": "gpt", "stream": true, "messages": [["role": "user", "content": "Hi"]]]
            : ProxyHarness.messages(model: "claude", stream: true)
        let (answer, recorded) = try await Self.exchange(
            path: model == "gpt" ? "/v1/chat/completions" : "/v1/messages", request: request,
            reply: .eventStream(stream + [late, late]))
        #expect(answer.status == 200)
        #expect(answer.text == stream.joined())
        Self.expectAQuietEnd(recorded)
        // The late events are named, not quoted: their data can quote the key.
        let named = model == "gpt" ? "" : "; the first: `content_block_delta`"
        #expect(
            recorded["diagnostic"]?.map { $0["message"] }
                == [.string("after the stream's end: the upstream sent 2 more events, not relayed\(named)")])
    }

    /// An error a Chat stream reports ends it, passed through as it does
    /// converted: the rest of the answer and `[DONE]` after it would read
    /// as more of the answer and as success to a client that reads on.
    /// They are dropped, and the cassette says so.
    @Test func eventsAfterAPassedThroughErrorAreNotRelayed() async throws {
        let error = #"data: {"error":{"message":"overloaded","type":"server_error"}}"# + "\n\n"
        let head = Array(UpstreamBodies.openAIStream.prefix(2))
        let (answer, recorded) = try await Self.exchange(
            path: "/v1/chat/completions",
            request: ["model": "gpt", "stream": true, "messages": [["role": "user", "content": "Hi"]]],
            reply: .eventStream(head + [error] + UpstreamBodies.openAIStream.dropFirst(2)))
        #expect(answer.status == 200)
        #expect(answer.text == (head + [error]).joined())
        #expect(recorded["end"]?.map { $0["outcome"] } == ["error"])
        let dropped = UpstreamBodies.openAIStream.count - 2
        #expect(
            recorded["diagnostic"]?.map { $0["message"] }
                == [.string("after the stream's end: the upstream sent \(dropped) more events, not relayed")])
    }

    /// A Responses `error` event ends the answer: the text the upstream
    /// sends after it is not relayed, passed through (only the error's
    /// `response.failed` follows it) or converted (the client's error frame
    /// is its last), and the cassette counts what was dropped.
    @Test(arguments: ["/v1/responses", "/v1/chat/completions"])
    func textAfterAResponsesErrorIsNotRelayed(path: String) async throws {
        let frames = [
            "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}\n\n",
            "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"overloaded\"}\n\n",
            "event: response.output_text.delta\n"
                + "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"m\",\"delta\":\"more words\"}\n\n",
            "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"error\":null}}\n\n",
        ]
        let request: JSONValue =
            path == "/v1/responses"
            ? ["model": "responses", "stream": true, "input": "Hi"]
            : ["model": "responses", "stream": true, "messages": [["role": "user", "content": "Hi"]]]
        let (answer, recorded) = try await Self.exchange(path: path, request: request, reply: .eventStream(frames))
        #expect(answer.status == 200)
        #expect(!answer.text.contains("more words"), "\(answer.text)")
        if path == "/v1/responses" {
            #expect(answer.text == [frames[0], frames[1], frames[3]].joined())
        } else {
            let last = try #require(sseFrames(answer.text).last)
            #expect(last.data.contains("overloaded"), "\(answer.text)")
        }
        #expect(recorded["end"]?.map { $0["outcome"] } == ["error"])
        let dropped = path == "/v1/responses" ? "1 more event" : "2 more events"
        #expect(
            recorded["diagnostic"]?.map { $0["message"] }
                == [
                    .string(
                        "after the stream's end: the upstream sent \(dropped), not relayed; "
                            + "the first: `response.output_text.delta`")
                ])
    }

    /// The answer to `request`, from a stub sending `reply`, and the
    /// cassette's lines by kind.
    static func exchange(
        path: String, request: JSONValue, reply: StubHTTPServer.Reply
    ) async throws -> (answer: ProxyHarness.Reply, recorded: [String: [JSONValue]]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-after-end-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = try CassetteRecorder(directory: directory)
        let answer = try await ProxyHarness.run(recording: ExchangeRecording(recorder: recorder)) { proxy in
            proxy.stub.reply = reply
            return try await proxy.post(path, json: request)
        }
        var recorded: [String: [JSONValue]] = [:]
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                recorded[event.kind, default: []].append(event.json)
            }
        }
        return (answer, recorded)
    }

    /// The exchange succeeded, with the broken connection as a note.
    static func expectAQuietEnd(
        _ recorded: [String: [JSONValue]], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(recorded["end"]?.map { $0["outcome"] } == ["ok"], sourceLocation: sourceLocation)
        #expect(recorded["error"] == nil, "\(recorded["error"] ?? [])", sourceLocation: sourceLocation)
        #expect(
            recorded["diagnostic"]?.contains { $0["message"]?.stringValue?.hasPrefix("after the stream's end") == true }
                == true, sourceLocation: sourceLocation)
    }
}
