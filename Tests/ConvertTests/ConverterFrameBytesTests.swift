import Convert
import SSE
import TestSupport
import Testing

/// What the converter writes is the frames' bytes, and what a recording
/// and a replay read is the frames read back as events: the two must agree
/// byte for byte on every path (an Anthropic stream relayed as it came, a
/// converted one, a passed-through one), whole and in slices.
@Suite struct ConverterFrameBytesTests {
    static let cases: [(folder: String, dialect: Dialect)] = [
        ("providers/anthropic", .anthropic), ("providers/openai-chat", .openai), ("providers/gemini", .gemini),
        ("providers/openai-responses", .openaiResponses),
    ]

    static let streams: [String] = cases.flatMap { Fixtures.argumentFiles(in: $0.folder, suffix: ".chunks.txt") }

    @Test func fixturesAreFound() throws {
        for (folder, _) in Self.cases {
            try Fixtures.requireFound(
                Self.streams.filter { $0.contains("/\(folder)/") }, in: folder, suffix: ".chunks.txt", atLeast: 2)
        }
    }

    @Test(arguments: streams)
    func theBytesWrittenAreTheEventsReadBack(path: String) throws {
        let dialect = try #require(Self.cases.first { path.contains("/\($0.folder)/") }).dialect
        let route = RouteOptions(modelID: "up", upstreamDialect: dialect, upstreamModel: "up-model")
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        // An Anthropic stream has no pass-through converter: the relay is its.
        let converters =
            [UpstreamStreamConverter(route: route, requestedModel: "claude-test")]
            + [UpstreamStreamConverter(passthroughFor: route)].compactMap { $0 }
        for converter in converters {
            for size in [bytes.count, 7] {
                var converter = converter
                var frames = SSEFrames()
                var start = 0
                while start < bytes.count {
                    converter.receive(bytes[start..<min(start + size, bytes.count)], into: &frames)
                    start += size
                }
                converter.finish(error: nil, into: &frames)
                #expect(!frames.isEmpty, "\(path)")
                #expect(frames.bytes == frames.events.flatMap { $0.encoded() }, "\(path), slices of \(size)")
            }
        }
        // Passed through, the frames are the upstream's events as a client's
        // parser reads them, whatever path wrote them, up to the stream's
        // end: nothing after it is relayed (a Responses fixture holds four
        // answers, each ending in `response.completed`).
        guard var passthrough = UpstreamStreamConverter(passthroughFor: route) else { return }
        var parser = SSEParser()
        let events = parser.parse(bytes) + parser.finish()
        let end = events.firstIndex { $0.event == "response.completed" }
        let upstream = end.map { Array(events[...$0]) } ?? events
        var frames = SSEFrames()
        passthrough.receive(bytes, into: &frames)
        passthrough.finish(error: nil, into: &frames)
        #expect(frames.events == upstream, "\(path)")
        #expect(frames.bytes == upstream.flatMap { $0.encoded() }, "\(path)")
    }

    /// An unnamed event takes its payload's `type` as its name, unless the
    /// type holds a line break: written as the `event:` line, it would let
    /// the upstream add fields of its own to the client's stream.
    @Test func aTypeWithALineBreakNamesNoEvent() {
        let bytes = Array(#"data: {"type":"x\ndata: injected","n":1}"#.utf8) + [0x0A, 0x0A]
        var converter = UpstreamStreamConverter(route: TestRoutes.anthropic, requestedModel: "claude-test")
        var frames = SSEFrames()
        converter.receive(bytes, into: &frames)
        #expect(frames.events == [SSEEvent(data: #"{"type":"x\ndata: injected","n":1}"#)])
        #expect(frames.bytes == Array(#"data: {"type":"x\ndata: injected","n":1}"#.utf8) + [0x0A, 0x0A])
    }
}
