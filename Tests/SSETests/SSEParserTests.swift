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

    @Test func rawEventsAreTheEventsWithTheirDataStillBytes() {
        for split in 0...Self.stream.count {
            var parser = SSEParser()
            let raw =
                parser.parseRaw(Self.stream[..<split]) + parser.parseRaw(Self.stream[split...]) + parser.finishRaw()
            #expect(raw.map(\.decoded) == Self.expected, "split at \(split)")
            #expect(raw.map(\.data) == Self.expected.map { Array($0.data.utf8) })
        }
    }

    /// Invalid UTF-8 is replaced as `String(decoding:as:)` replaces it, line
    /// by line, and the raw event's bytes are the replaced text's.
    @Test func invalidUTF8IsRepairedInTheRawEventToo() {
        let stream: [UInt8] = Array("data: a".utf8) + [0xFF] + Array("b\ndata: ".utf8) + [0xE2, 0x82] + [0x0A, 0x0A]
        var parser = SSEParser()
        let raw = parser.parseRaw(stream)
        #expect(raw.map(\.decoded) == [SSEEvent(data: "a\u{FFFD}b\n\u{FFFD}")])
        #expect(raw.map(\.data) == [Array("a\u{FFFD}b\n\u{FFFD}".utf8)])
    }

    /// Field names are compared byte for byte and whole: another case, a
    /// longer name or an unknown one is ignored; a line with no colon is a
    /// field with an empty value.
    @Test func fieldNamesAreMatchedExactly() {
        let stream = Array("Data: a\ndataa: b\nevent2: c\ndata\nretry: 5\nid: 7\nevent: e\n\n".utf8)
        var parser = SSEParser()
        #expect(parser.parse(stream) == [SSEEvent(event: "e", data: "", id: "7", retry: 5)])
    }

    /// `retry` is taken only when it is ASCII digits; anything else leaves
    /// the field out (and alone does not make an event).
    @Test func retryIsOnlyDigits() {
        var parser = SSEParser()
        for value in ["+5", "-0", "", " 5", "5 ", "5x", "99999999999999999999999"] {
            #expect(parser.parse(Array("retry: \(value)\ndata: x\n\n".utf8)) == [SSEEvent(data: "x")], "\(value)")
        }
        #expect(parser.parse(Array("retry:0\ndata: x\n\n".utf8)) == [SSEEvent(data: "x", retry: 0)])
    }

    @Test func encodingRoundTrips() {
        let events = [SSEEvent(event: "e", data: "a\nb"), SSEEvent(data: "", id: "7", retry: 10)]
        var parser = SSEParser()
        #expect(parser.parse(events.flatMap { $0.encoded() }) == events)
    }
}
