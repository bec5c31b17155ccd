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
}
