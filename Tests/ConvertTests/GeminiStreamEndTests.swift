import Convert
import SSE
import Testing
import Wire

/// Gemini sends no terminator: a chunk with `finishReason` (and the last
/// `usageMetadata`) is where its streams end. What follows it is still
/// read (a usage-only chunk), but a stream that stops inside an event after
/// it ends as it was, not in an error: the client's stream was complete.
@Suite struct GeminiStreamEndTests {
    static let text = #"{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"}}]}"#
    static let finished =
        #"{"candidates":[{"content":{"parts":[{"text":"!"}],"role":"model"},"finishReason":"STOP"}],"#
        + #""usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5}}"#
    static let usageOnly =
        #"{"candidates":[],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"totalTokenCount":7}}"#
    static let stream = [text, finished, usageOnly].map { "data: \($0)\n\n" }.joined()
    /// An event the stream stopped inside.
    static let unended = #"data: {"candidates":[{"cont"#
    /// Its bytes counted, not quoted: they may quote the key.
    static let note =
        "after the stream's end: it stopped inside an event (\(unended.utf8.count - "data: ".utf8.count) bytes), not relayed"

    @Test func aPassedThroughStreamThatStopsInsideAnEventAfterItsFinishReasonEndsAsItWas() {
        var converter = UpstreamStreamConverter(passthroughFor: TestRoutes.gemini)!
        let events = feed(Array((Self.stream + Self.unended).utf8), to: &converter)
        #expect(events.map(\.data) == [Self.text, Self.finished, Self.usageOnly])
        #expect(converter.reportedError == nil)
        #expect(converter.usage?["output_tokens"] == 4, "the usage after the finish reason counts")
        #expect(converter.takeDiagnostics().map(\.message) == [Self.note])
    }

    @Test func aConvertedStreamThatStopsInsideAnEventAfterItsFinishReasonEndsAsTheUpstreamsEndWould() {
        var converter = UpstreamStreamConverter(route: TestRoutes.gemini, requestedModel: "claude-test")
        let events = feed(Array((Self.stream + Self.unended).utf8), to: &converter)
        #expect(
            events.map(\.event) == [
                "message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop",
            ])
        #expect(violations(events) == [])
        #expect(converter.reportedError == nil)
        #expect(converter.usage?["output_tokens"] == 4)
        #expect(converter.takeDiagnostics().map(\.message) == [Self.note])
    }

    /// Before its finish reason, such a stream was cut, as any is.
    @Test func aStreamThatStopsInsideAnEventBeforeItsFinishReasonEndsInAnError() throws {
        var converter = UpstreamStreamConverter(passthroughFor: TestRoutes.gemini)!
        let events = feed(Array(("data: \(Self.text)\n\n" + Self.unended).utf8), to: &converter)
        #expect(events.count == 2)
        let error = try JSONValue(parsing: try #require(events.last).data)
        #expect(
            error["error"]?["message"]
                == "upstream gemini stream ended early, before the end of the event it was sending")
    }
}
