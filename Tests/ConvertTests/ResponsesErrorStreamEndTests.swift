import Convert
import SSE
import Testing
import Wire

/// A Responses upstream's `error` event ends the answer its client gets,
/// passed through or converted: content events it sends after the error
/// (before its `response.failed`) are not relayed, as nothing after a Chat
/// or Gemini error is, and the cassette's note counts them.
@Suite struct ResponsesErrorStreamEndTests {
    static let error =
        "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"overloaded\"}\n\n"
    static let delta =
        "event: response.output_text.delta\n"
        + "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"m\",\"delta\":\"more words\"}\n\n"
    static let failed =
        "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"error\":null}}\n\n"
    static let created =
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"error\":null}}\n\n"
    static let head = created + delta

    /// The frames a Responses client gets for `text`, the error its stream
    /// reported, and the converter's notes.
    static func passThrough(_ text: String) -> (events: [SSEEvent], error: APIError?, notes: [String]) {
        var converter = UpstreamStreamConverter(passthroughFor: TestRoutes.responses)!
        let events = converter.receive(Array(text.utf8)) + converter.finish(error: nil)
        return (events, converter.reportedError, converter.takeDiagnostics().map(\.message))
    }

    /// Between the error and its `response.failed` the upstream went on
    /// with the answer: only the `response.failed` follows the error, and
    /// nothing after it (a `response.completed` would read as success).
    @Test func onlyTheFailureFollowsAPassedThroughError() {
        let completed = "event: response.completed\ndata: {\"type\":\"response.completed\"}\n\n"
        let (events, error, notes) = Self.passThrough(
            Self.head + Self.error + Self.delta + Self.delta + Self.failed + completed)
        #expect(
            events.map(\.event) == [
                "response.created", "response.output_text.delta", "error", "response.failed",
            ])
        #expect(error?.message == "upstream gpt5 reported: overloaded")
        #expect(
            notes == [
                "after the stream's end: the upstream sent 3 more events, not relayed; "
                    + "the first: `response.output_text.delta`"
            ])
    }

    /// A `response.failed` known only by its `type` (a compatible server's,
    /// with no event names) is still the one frame that follows the error.
    @Test func anUnnamedFailureFollowsAnUnnamedError() {
        let frames = [Self.created, Self.delta, Self.error, Self.delta, Self.failed]
        let (events, error, _) = Self.passThrough(frames.map { "data: \(Self.data(of: $0))\n\n" }.joined())
        #expect(events.map(\.data) == [Self.created, Self.delta, Self.error, Self.failed].map { Self.data(of: $0) })
        #expect(error?.message == "upstream gpt5 reported: overloaded")
    }

    /// An upstream that closes right after its `response.failed`, with no
    /// blank line: the failure still reaches the client.
    @Test func aFailureWithNoBlankLineAfterItIsStillRelayed() {
        let (events, _, _) = Self.passThrough(Self.head + Self.error + String(Self.failed.dropLast(2)))
        #expect(
            events.map(\.event) == [
                "response.created", "response.output_text.delta", "error", "response.failed",
            ])
    }

    /// With no `response.failed` after it, the error ends the stream as a
    /// Chat or Gemini error does: no error frame of the proxy's after it.
    @Test func anErrorWithNoFailureAfterItEndsThePassedThroughStream() {
        let (events, _, notes) = Self.passThrough(Self.head + Self.error + Self.delta)
        #expect(events.map(\.event) == ["response.created", "response.output_text.delta", "error"])
        #expect(
            notes == [
                "after the stream's end: the upstream sent 1 more event, not relayed; "
                    + "the first: `response.output_text.delta`"
            ])
    }

    /// Converted for a Chat, Gemini or Anthropic client, the error is the
    /// client's last frame: the text after it is not converted and sent.
    @Test(arguments: ["chat", "gemini", "anthropic"])
    func aConvertedErrorIsTheClientsLastFrame(client: String) throws {
        let encoder: (any ClientStreamEncoder)? =
            switch client {
            case "chat":
                OpenAIChatStreamEncoder(requestedModel: "gpt-test", includeUsage: true, created: 1_700_000_000)
            case "gemini": GeminiStreamEncoder(requestedModel: "gemini-test")
            default: nil
            }
        var converter = UpstreamStreamConverter(
            route: TestRoutes.responses, requestedModel: "m", encoder: encoder)
        let events = feed(Array((Self.head + Self.error + Self.delta + Self.failed).utf8), to: &converter)
        let last = try #require(events.last)
        #expect(last.data.contains("overloaded"), "\(client)")
        #expect(events.filter { $0.data.contains("more words") }.count == 1, "\(client)")
        #expect(events.firstIndex { $0.data.contains("more words") }! < events.count - 1)
        #expect(
            converter.takeDiagnostics().map(\.message) == [
                "after the stream's end: the upstream sent 2 more events, not relayed; "
                    + "the first: `response.output_text.delta`"
            ], "\(client)")
    }

    static func data(of frame: String) -> String {
        String(frame.split(separator: "\n").first { $0.hasPrefix("data: ") }!.dropFirst(6))
    }
}
