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
            passthroughFor: RouteOptions(modelID: "up", upstreamDialect: dialect, upstreamModel: "m"))
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
}
