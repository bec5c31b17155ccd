import Convert
import SSE
import Testing
import Wire

/// Events a converted upstream sends after its stream's terminator do not
/// reach the client, whose stream was complete; a note counts them, as on
/// a pass-through route, without quoting them (an error there can quote
/// the key).
@Suite struct ConvertedStreamEndTests {
    static let chatText =
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#
        + "\n\n"
    static let chatFinish =
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
        + "\n\n"
    static let geminiFinish =
        #"data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP"}]}"# + "\n\n"

    /// An OpenAI upstream's `[DONE]`, and the one a gateway adds to a
    /// Gemini stream, end it.
    @Test(arguments: [
        (TestRoutes.openAI, chatText + chatFinish + "data: [DONE]\n\n"),
        (TestRoutes.gemini, geminiFinish + "data: [DONE]\n\n"),
    ])
    func eventsAfterTheEndAreNotedNotSent(route: RouteOptions, stream: String) {
        let late = "event: secret\ndata: {\"late\":\"sk-live-key\"}\n\n"
        var converter = UpstreamStreamConverter(route: route, requestedModel: "claude-test")
        let events = feed(Array((stream + late + late).utf8), to: &converter)
        #expect(events.last?.event == "message_stop")
        #expect(!events.contains { $0.data.contains("late") })
        #expect(converter.reportedError == nil)
        #expect(
            converter.takeDiagnostics().map(\.message) == [
                "after the stream's end: the upstream sent 2 more events, not relayed; the first: `secret`"
            ])
    }

    /// Nothing is noted for a stream that had nothing after its end.
    @Test func aStreamWithNothingAfterItsEndHasNoNote() {
        var converter = UpstreamStreamConverter(route: TestRoutes.openAI, requestedModel: "claude-test")
        _ = feed(Array((Self.chatText + Self.chatFinish + "data: [DONE]\n\n").utf8), to: &converter)
        #expect(converter.takeDiagnostics().isEmpty)
    }

    /// The proxy records the chunk that ends a stream as it came, and
    /// scrubs one only when an event came after the end (it may be an error
    /// quoting the key): `receivedAfterEnd` tells them apart, converted or
    /// relayed, and stays true once the note is taken.
    @Test(arguments: [
        (TestRoutes.openAI, chatText + chatFinish + "data: [DONE]\n\n"),
        (
            TestRoutes.anthropic,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":\"x\",\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        ),
    ])
    func receivedAfterEndSaysWhetherAnEventCameAfterTheEnd(route: RouteOptions, stream: String) {
        var converter = UpstreamStreamConverter(route: route, requestedModel: "claude-test")
        _ = converter.receive(Array(stream.utf8))
        #expect(converter.hasEnded)
        #expect(!converter.receivedAfterEnd)
        _ = converter.receive(Array("\n".utf8))
        #expect(!converter.receivedAfterEnd)
        _ = converter.receive(Array("event: error\ndata: {\"late\":1}\n\n".utf8))
        #expect(converter.receivedAfterEnd)
        _ = converter.finish(error: nil)
        #expect(converter.takeDiagnostics().count == 1)
        #expect(converter.receivedAfterEnd)
    }
}
