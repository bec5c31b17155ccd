import Convert
import TestSupport
import Testing
import Wire

/// An upstream that answers 200 and then opens its stream with an error (an
/// overloaded upstream's `event: error`, a Chat chunk or Gemini element
/// `{"error": ...}`, a Responses `error` event): the client's head waits
/// for that first event, so the client gets an HTTP error in its own
/// dialect, with the status the error stands for and the retry hints of
/// the upstream's head, which the SDKs retry on, not a 200 stream of one
/// error frame.
@Suite struct StreamOpeningErrorTests {
    /// Each upstream format's stream opening with an error, and the status
    /// that error stands for.
    static func opening(_ format: Dialect) -> (chunk: String, status: Int) {
        switch format {
        case .anthropic:
            (
                "event: error\ndata: "
                    + #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"# + "\n\n", 529
            )
        case .openai:
            (#"data: {"error":{"message":"Overloaded","type":"overloaded_error","code":null}}"# + "\n\n", 529)
        case .gemini:
            (
                #"data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#
                    + "\n\n", 503
            )
        case .openaiResponses:
            (
                "event: error\ndata: "
                    + #"{"type":"error","code":"rate_limit_exceeded","message":"Rate limit reached","param":null}"#
                    + "\n\n", 429
            )
        }
    }

    /// Every client dialect, on a route of every upstream format: the
    /// error's status (529 only to Anthropic clients), in the client's
    /// shape, with the 200 head's retry hints.
    @Test func aStreamOpeningWithAnErrorIsAnErrorStatusInEveryDialect() async throws {
        try await ProxyHarness.run { proxy in
            let dialects: [Dialect] = [.anthropic, .openai, .openaiResponses, .gemini]
            for format in dialects {
                let (chunk, status) = Self.opening(format)
                var reply = StubHTTPServer.Reply.eventStream([chunk])
                reply.headers += [("x-should-retry", "true"), ("retry-after", "3")]
                proxy.stub.reply = reply
                for client in dialects {
                    let (path, body) = DialectPairTests.request(
                        client, model: DialectPairTests.Upstream.of(format).model, stream: true)
                    let answer = try await proxy.post(path, json: body)
                    let what = "\(client) client, \(format) route"
                    let expected = client == .anthropic || status != 529 ? status : 503
                    #expect(answer.status == expected, "\(what): \(answer.text)")
                    #expect(answer.headers.first(name: "content-type") == "application/json", "\(what)")
                    #expect(answer.headers.first(name: "x-should-retry") == "true", "\(what)")
                    #expect(answer.headers.first(name: "retry-after") == "3", "\(what)")
                    let error = answer.json?["error"]
                    switch client {
                    case .anthropic:
                        #expect(answer.json?["type"] == "error", "\(what): \(answer.text)")
                        #expect(
                            error?["type"]?.stringValue == APIError.anthropicType(forStatus: status),
                            "\(what): \(answer.text)")
                    case .gemini:
                        #expect(error?["code"]?.intValue == expected, "\(what): \(answer.text)")
                    case .openai, .openaiResponses:
                        #expect(error?["message"]?.stringValue != nil, "\(what): \(answer.text)")
                    }
                }
            }
        }
    }

    /// A client of the route's own dialect gets the upstream's error object
    /// as it came, as it would for that error as a status.
    @Test func aRouteOfTheClientsOwnDialectAnswersWithTheUpstreamsErrorObject() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream([Self.opening(.openai).chunk])
            let chat = try await proxy.post(
                "/v1/chat/completions",
                json: ["model": "gpt", "stream": true, "messages": [["role": "user", "content": "Hi"]]])
            #expect(chat.status == 503, "\(chat.text)")
            #expect(chat.text == #"{"error":{"message":"Overloaded","type":"overloaded_error","code":null}}"#)
        }
    }

    /// Once another event has gone before it, the error is the stream's
    /// error frame, after a 200, as before.
    @Test func anErrorAfterTheFirstEventIsStillAnErrorFrame() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream([
                UpstreamBodies.anthropicStream(before: "content_block_start"), Self.opening(.anthropic).chunk,
            ])
            let answer = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            #expect(answer.status == 200)
            let frames = sseFrames(answer.text)
            #expect(frames.map(\.event) == ["message_start", "error"], "\(answer.text)")
        }
    }

    /// An error opening the stream of an entry with a `fallback` list is
    /// taken as its status is: the next entry answers.
    @Test func aStreamOpeningWithAnErrorFallsBack() async throws {
        try await ProxyHarness.run(configYAML: FallbackTests.yaml) { proxy in
            proxy.stub.replyFor = FallbackTests.replying([
                "up-main": .eventStream([Self.opening(.openai).chunk]),
                "up-second": .eventStream(UpstreamBodies.openAIStream),
            ])
            let answer = try await proxy.post(json: ProxyHarness.messages(model: "main", stream: true))
            #expect(answer.status == 200, "\(answer.text)")
            #expect(sseFrames(answer.text).last?.event == "message_stop", "\(answer.text)")
            #expect(FallbackTests.upstreamModels(proxy.stub) == ["up-main", "up-second"])
        }
    }

    /// The cassette holds what the client got: the error status and body,
    /// no stream, the error at `upstream_stream_event`.
    @Test func theCassetteRecordsTheErrorAnswer() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        var id: String?
        try await ProxyHarness.run(recording: cassette.recording) { proxy in
            proxy.stub.reply = .eventStream([Self.opening(.anthropic).chunk])
            let answer = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            #expect(answer.status == 529, "\(answer.text)")
            id = answer.headers.first(name: "request-id")
        }
        let events = try cassette.exchanges()[id ?? ""] ?? []
        let response = events.first { $0.kind == "client_response" }
        #expect(response?["status"]?.intValue == 529)
        #expect(response?["body"]?["error"]?["type"] == "overloaded_error")
        #expect(!events.contains { $0.kind == "client_event" })
        #expect(try cassette.errors(of: id).stages == ["upstream_stream_event"])
        #expect(try cassette.errors(of: id).outcome == "error")
        #expect(events.last { $0.kind == "end" }?["status"]?.intValue == 529)
    }
}
