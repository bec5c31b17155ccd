import Convert
import SSE
import Testing
import Wire

/// A passed-through frame whose data is not JSON ends the client's stream
/// in an error of its own dialect, as on a converted route: relayed, it
/// failed inside the client's SDK with nothing said of the upstream, and the
/// exchange was recorded a success.
@Suite struct PassthroughInvalidFrameTests {
    static let chatChunk =
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#

    @Test func aChatFrameThatIsNotJSONEndsTheStreamInAnError() throws {
        let broken = #"data: {"id":"c","choices":[{"delta":{"content":"Hi"#
        let finish = #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
        let text = [Self.chatChunk, broken, finish, "data: [DONE]"].map { $0 + "\n\n" }.joined()
        let (events, error) = PassthroughStreamEndTests.relay(text, dialect: .openai)
        #expect(events.count == 2)
        let last = try JSONValue(parsing: try #require(events.last).data)
        #expect(
            last["error"]?["message"]?.stringValue
                == #"upstream up sent invalid JSON in its stream: {"id":"c","choices":[{"delta":{"content":"Hi"#)
        #expect(error?.status == 502)
        #expect(error?.message.hasPrefix("upstream up sent invalid JSON") == true)
    }

    @Test func aResponsesFrameThatIsNotJSONEndsInAnErrorEvent() throws {
        let created = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n"
        let broken = "event: response.output_text.delta\ndata: {\"delta\":\n\n"
        let (events, error) = PassthroughStreamEndTests.relay(created + broken, dialect: .openaiResponses)
        #expect(events.map(\.event) == ["response.created", "error"])
        #expect(try JSONValue(parsing: try #require(events.last).data)["type"] == "error")
        #expect(error?.message.hasPrefix("upstream up sent invalid JSON") == true)
    }

    @Test func aGeminiFrameThatIsNotJSONEndsInAGeminiError() throws {
        let (events, error) = PassthroughStreamEndTests.relay(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\n\n", dialect: .gemini)
        #expect(events.count == 1)
        #expect(try JSONValue(parsing: try #require(events.last).data)["error"]?["code"] == 502)
        #expect(error?.status == 502)
    }

    /// JSON cut after a closing bracket but lacking its last ones is
    /// completed, as a converted route reads it, and its usage read. A frame
    /// whose braces close at both ends goes as it came, unread (the recorded
    /// Responses stream `parallel-tool-call-wrapper.1` has two such lacking a
    /// `}`; checked through, every frame cost a pass-through 4 to 6%).
    @Test func aFrameLackingItsLastBracketsIsCompleted() throws {
        let created = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"output\":[]\n\n"
        let completed =
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
            + "\"usage\":{\"input_tokens\":3,\"output_tokens\":5}}\n\n"
        var converter = UpstreamStreamConverter(
            passthroughFor: RouteOptions(modelID: "up", upstreamDialect: .openaiResponses, upstreamModel: "m"))!
        let events = converter.receive(Array((created + completed).utf8)) + converter.finish(error: nil)
        #expect(events.map(\.event) == ["response.created", "response.completed"])
        #expect(events.first?.data == #"{"type":"response.created","response":{"output":[]}}"#)
        #expect(events.last?.data.hasSuffix(#""output_tokens":5}}"#) == true)
        #expect(converter.reportedError == nil)
    }

    /// `[DONE]` and frames of only whitespace (keep-alives) go as they came.
    @Test func doneAndBlankFramesAreRelayed() {
        let text = [
            Self.chatChunk, "data:  ", #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            "data: [DONE]",
        ]
        .map { $0 + "\n\n" }.joined()
        let (events, error) = PassthroughStreamEndTests.relay(text, dialect: .openai)
        #expect(events.count == 4)
        #expect(error == nil)
    }
}
