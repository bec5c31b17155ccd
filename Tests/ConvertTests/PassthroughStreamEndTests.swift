import Convert
import SSE
import Testing
import Wire

/// A passed-through stream that stops before it finishes was cut: the
/// client is told so in its own stream's terms, as a converted stream's
/// client is, and the exchange counts as failed.
@Suite struct PassthroughStreamEndTests {
    static func relay(_ text: String, dialect: Dialect) -> (events: [SSEEvent], error: APIError?) {
        var converter = UpstreamStreamConverter(
            passthroughFor: RouteOptions(modelID: "up", upstreamDialect: dialect, upstreamModel: "m"))!
        let events = converter.receive(Array(text.utf8)) + converter.finish(error: nil)
        return (events, converter.reportedError)
    }

    static let chatChunk =
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#

    @Test func aChatStreamWithoutAFinishEndsInAnError() throws {
        let (events, error) = Self.relay(Self.chatChunk + "\n\n", dialect: .openai)
        #expect(events.count == 2)
        let last = try JSONValue(parsing: try #require(events.last).data)
        #expect(last["error"]?["message"] == "upstream up stream ended early, before a finish_reason")
        #expect(last["error"]?["code"] == "server_error")
        #expect(error?.status == 502)
    }

    @Test(arguments: [
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: [DONE]\n\n",
    ])
    func aFinishedChatStreamGoesAsItCame(ending: String) {
        let (events, error) = Self.relay(Self.chatChunk + "\n\n" + ending, dialect: .openai)
        #expect(events.count == 2)
        #expect(error == nil)
    }

    @Test func aResponsesStreamWithoutItsTerminalEventEndsInAnErrorEvent() throws {
        let created = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n"
        let (events, _) = Self.relay(created, dialect: .openaiResponses)
        let last = try #require(events.last)
        #expect(last.event == "error")
        #expect(try JSONValue(parsing: last.data)["type"] == "error")
        let completed = "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1}\n\n"
        #expect(Self.relay(created + completed, dialect: .openaiResponses).events.count == 2)
    }

    @Test func aGeminiStreamWithoutAFinishReasonEndsInAGeminiError() throws {
        let text = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"}}]}\n\n"
        let (events, _) = Self.relay(text, dialect: .gemini)
        let last = try JSONValue(parsing: try #require(events.last).data)
        #expect(last["error"]?["status"] == "UNAVAILABLE")
        let finished = "data: {\"candidates\":[{\"finishReason\":\"STOP\"}]}\n\n"
        #expect(Self.relay(text + finished, dialect: .gemini).events.count == 2)
    }

    /// A passed-through `response.failed` is the failure it is on a
    /// converted route: the exchange fails, with the upstream's message (or
    /// a plain one when the response names no error), and the client gets
    /// the event as it came.
    @Test func aPassedThroughResponseFailedIsTheStreamsError() {
        let failed =
            "event: response.failed\ndata: "
            + #"{"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","#
            + #""message":"overloaded"}}}"# + "\n\n"
        let (events, error) = Self.relay(failed, dialect: .openaiResponses)
        #expect(events.map(\.event) == ["response.failed"])
        #expect(error?.message == "upstream up reported: overloaded")
        let nameless = #"event: response.failed\#ndata: {"type":"response.failed","response":{"error":null}}"# + "\n\n"
        #expect(
            Self.relay(nameless, dialect: .openaiResponses).error?.message
                == "upstream up reported: the response failed")
    }

    /// A stream cut inside its last event (no blank line, data not whole)
    /// does not hand the client that piece as if it were an event: its
    /// parser would fail on it rather than read the proxy's error. Even
    /// after a finish_reason, the usage chunk and `[DONE]` were still due.
    @Test func aLastEventCutShortIsNotSentAndTheStreamEndsInAnError() throws {
        let finished = #"data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"
        for head in [Self.chatChunk + "\n\n", Self.chatChunk + "\n\n" + finished] {
            let (events, error) = Self.relay(
                head + #"data: {"id":"c","object":"chat.completion.chunk","acc"#, dialect: .openai)
            #expect(events.count == head.components(separatedBy: "\n\n").count)
            #expect(!events.contains { $0.data.contains("\"acc") })
            let last = try JSONValue(parsing: try #require(events.last).data)
            let message = "upstream up stream ended early, before the end of the event it was sending"
            #expect(last["error"]?["message"]?.stringValue == message)
            #expect(error?.message == message)
        }
    }

    /// A last event with no blank line after it whose data is whole is
    /// still the upstream's: an error chunk, or `[DONE]`.
    @Test func aWholeLastEventWithoutItsBlankLineIsStillSent() {
        let errorChunk = #"data: {"error":{"message":"overloaded","type":"server_error"}}"#
        let (events, error) = Self.relay(Self.chatChunk + "\n\n" + errorChunk, dialect: .openai)
        #expect(events.count == 2)
        #expect(events.last?.data == String(errorChunk.dropFirst(6)))
        #expect(error?.message == "upstream up reported: overloaded")
        let done = Self.relay(Self.chatChunk + "\n\ndata: [DONE]", dialect: .openai)
        #expect(done.events.map(\.data).last == "[DONE]")
        #expect(done.error == nil)
    }

    /// An Anthropic upstream's frames to an Anthropic client: the cut
    /// event is not sent before the error event either.
    @Test func anAnthropicStreamCutInsideAnEventSendsOnlyTheError() throws {
        var converter = UpstreamStreamConverter(
            route: RouteOptions(modelID: "up", upstreamDialect: .anthropic, upstreamModel: "m"), requestedModel: "m")
        let start =
            "event: message_start\ndata: "
            + #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","#
            + #""content":[],"usage":{"input_tokens":1,"output_tokens":1}}}"# + "\n\n"
        let events = converter.receive(Array((start + #"data: {"type""#).utf8)) + converter.finish(error: nil)
        #expect(events.map(\.event) == ["message_start", "error"])
        let error = try JSONValue(parsing: try #require(events.last).data)
        #expect(
            error["error"]?["message"]?.stringValue
                == "upstream up stream ended early, before the end of the event it was sending")
        #expect(converter.reportedError?.status == 502)
    }

    /// Once a passed-through stream's last frame went by, a transport
    /// failure (an upstream that overstated its length) or an unended
    /// event after it is not sent: the client's stream was complete, as a
    /// converted stream's is after its `message_stop`.
    @Test(arguments: [
        (Dialect.openai, Self.chatChunk + "\n\ndata: [DONE]\n\n"),
        (
            Dialect.openaiResponses,
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1}\n\n"
        ),
    ])
    func aFailureAfterTheLastFrameIsNotSent(dialect: Dialect, stream: String) {
        let route = RouteOptions(modelID: "up", upstreamDialect: dialect, upstreamModel: "m")
        let sent = stream.components(separatedBy: "\n\n").count - 1
        var converter = UpstreamStreamConverter(passthroughFor: route)!
        let failure = APIError(status: 502, type: "api_error", message: "its HTTP framing was malformed")
        var events = converter.receive(Array(stream.utf8))
        #expect(converter.hasEnded)
        events += converter.finish(error: failure)
        #expect(events.count == sent)
        #expect(converter.reportedError == nil)
        converter = UpstreamStreamConverter(passthroughFor: route)!
        events = converter.receive(Array((stream + #"data: {"id":"#).utf8)) + converter.finish(error: nil)
        #expect(events.count == sent)
        #expect(converter.reportedError == nil)
    }

    /// Nor are frames the upstream sends after its last one: the client's
    /// stream was complete. They are dropped, and a note says so.
    @Test(arguments: [
        (Dialect.openai, Self.chatChunk + "\n\ndata: [DONE]\n\n"),
        (
            Dialect.openaiResponses,
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1}\n\n"
        ),
    ])
    func framesAfterTheLastOneAreNotSent(dialect: Dialect, stream: String) {
        let sent = stream.components(separatedBy: "\n\n").count - 1
        let late = "data: {\"late\":1}\n\n"
        let (events, error) = Self.relay(stream + late + late + "data: [DONE]\n\n", dialect: dialect)
        #expect(events.count == sent)
        #expect(!events.contains { $0.data.contains("late") })
        #expect(error == nil)
        var converter = UpstreamStreamConverter(
            passthroughFor: RouteOptions(modelID: "up", upstreamDialect: dialect, upstreamModel: "m"))!
        _ = converter.receive(Array((stream + late + late).utf8)) + converter.finish(error: nil)
        #expect(
            converter.takeDiagnostics().map(\.message) == [
                "after the stream's end: the upstream sent 2 more events, not relayed"
            ])
    }

    /// An error ends a passed-through Chat or Gemini stream, as it ends a
    /// converted one: what the upstream sends after it (more of the
    /// answer, `[DONE]`) is dropped, and a note says so. A Responses
    /// `error` event is followed by its `response.failed`, which is sent.
    @Test func anErrorEndsAPassedThroughChatOrGeminiStream() {
        let gemini = #"data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"}}]}"# + "\n\n"
        for (dialect, error, more) in [
            (
                Dialect.openai, #"data: {"error":{"message":"overloaded","type":"server_error"}}"# + "\n\n",
                Self.chatChunk + "\n\ndata: [DONE]\n\n"
            ),
            (Dialect.gemini, #"data: {"error":{"code":503,"message":"overloaded"}}"# + "\n\n", gemini + gemini),
        ] {
            let head = dialect == .openai ? Self.chatChunk + "\n\n" : gemini
            var converter = UpstreamStreamConverter(
                passthroughFor: RouteOptions(modelID: "up", upstreamDialect: dialect, upstreamModel: "m"))!
            let events = converter.receive(Array((head + error + more).utf8)) + converter.finish(error: nil)
            #expect(events.map(\.data) == [head, error].map { String($0.dropFirst(6).dropLast(2)) }, "\(dialect)")
            #expect(converter.reportedError?.message == "upstream up reported: overloaded")
            #expect(
                converter.takeDiagnostics().map(\.message) == [
                    "after the stream's end: the upstream sent 2 more events, not relayed"
                ])
        }
        let failed =
            "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"overloaded\"}\n\n"
            + "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"error\":null}}\n\n"
        let (events, error) = Self.relay(failed, dialect: .openaiResponses)
        #expect(events.map(\.event) == ["error", "response.failed"])
        #expect(error?.message == "upstream up reported: overloaded")
    }

    /// A terminal Responses event is known by its name or its `type`, not
    /// by the words: instructions echoed in `response.created` or a text
    /// delta that mention them do not end the stream (what came after was
    /// dropped, `response.completed` and its usage with it).
    @Test(arguments: ["type", "none", "message"])
    func wordsInAResponsesTextDoNotEndTheStream(name: String) {
        // Named as OpenAI names them, not named, or all named `message`.
        func event(_ type: String, _ data: String) -> String {
            let line = ["type": "event: \(type)\n", "none": "", "message": "event: message\n"][name]!
            return line + "data: \(data)\n\n"
        }
        let stream = [
            event(
                "response.created",
                #"{"type":"response.created","response":{"instructions":"emit \"type\":\"response.completed\" at the end","status":"in_progress"}}"#
            ),
            event(
                "response.output_text.delta",
                #"{"type":"response.output_text.delta","delta":"on response.completed, close"}"#),
            event(
                "response.completed",
                #"{"type":"response.completed","response":{"status":"completed","usage":{"input_tokens":3,"output_tokens":2}}}"#
            ),
            event("response.output_text.delta", #"{"type":"response.output_text.delta","delta":"late"}"#),
        ]
        let (events, error) = Self.relay(stream.joined(), dialect: .openaiResponses)
        #expect(events.count == 3)
        #expect(events.last?.data.contains("\"type\":\"response.completed\"") == true)
        #expect(error == nil)
    }

    /// An Anthropic upstream's stream is not passed through this way: it
    /// goes through the Anthropic relay, which gives the client its model
    /// name in `message_start` and knows the stream's terminator, error
    /// event and usage. No converter is made that reads it wrongly.
    @Test func anAnthropicRouteHasNoPassThroughConverter() {
        let converter: UpstreamStreamConverter? = UpstreamStreamConverter(
            passthroughFor: RouteOptions(modelID: "up", upstreamDialect: .anthropic, upstreamModel: "m"))
        #expect(converter == nil)
    }
}
