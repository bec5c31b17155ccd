import SSE
import Testing

@Suite struct SSEParserTests {
    static let stream = Array(
        "event: message_start\ndata: {\"a\":1}\n\n: comment\r\ndata: line1\r\ndata: line2\r\n\r\nevent: x\rdata:é\r\r"
            .utf8)
    static let expected = [
        SSEEvent(event: "message_start", data: "{\"a\":1}"),
        SSEEvent(data: "line1\nline2"),
        SSEEvent(event: "x", data: "é"),
    ]

    @Test func parsesWholeStream() {
        var parser = SSEParser()
        #expect(parser.parse(Self.stream) + parser.finish() == Self.expected)
    }

    @Test func parsesAtEverySplitPoint() {
        for split in 0...Self.stream.count {
            var parser = SSEParser()
            let events =
                parser.parse(Self.stream[..<split]) + parser.parse(Self.stream[split...]) + parser.finish()
            #expect(events == Self.expected, "split at \(split)")
        }
    }

    @Test func parsesOneByteAtATime() {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in Self.stream { events += parser.parse([byte]) }
        #expect(events + parser.finish() == Self.expected)
    }

    @Test func finishDispatchesAnUnterminatedFrame() {
        var parser = SSEParser()
        #expect(parser.parse(Array("data: [DONE]".utf8)).isEmpty)
        #expect(parser.finish() == [SSEEvent(data: "[DONE]")])
    }

    @Test func encodingRoundTrips() {
        let events = [SSEEvent(event: "e", data: "a\nb"), SSEEvent(data: "", id: "7", retry: 10)]
        var parser = SSEParser()
        #expect(parser.parse(events.flatMap { $0.encoded() }) == events)
    }
}
