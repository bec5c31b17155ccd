import SSE
import Testing

/// A frame written in place must be on the wire what the same frame built
/// as an ``SSEEvent`` is, and read back as that event.
@Suite struct SSEFramesTests {
    @Test func aWrittenFrameIsTheEventItStandsFor() {
        var frames = SSEFrames()
        frames.append(event: "response.created") { $0 += Array(#"{"type":"response.created","n":"✓"}"#.utf8) }
        let event = SSEEvent(event: "response.created", data: #"{"type":"response.created","n":"✓"}"#)
        #expect(frames.bytes == event.encoded())
        #expect(frames.events == [event])
        #expect(frames.count == 1)
    }

    @Test func aFrameWrittenWithoutANameHasNoEventLine() {
        var frames = SSEFrames()
        frames.append(event: nil) { $0 += Array(#"{"choices":[]}"#.utf8) }
        let event = SSEEvent(data: #"{"choices":[]}"#)
        #expect(frames.bytes == Array("data: {\"choices\":[]}\n\n".utf8))
        #expect(frames.bytes == event.encoded())
        #expect(frames.events == [event])
    }

    @Test func writtenAndAppendedFramesKeepTheirOrder() {
        let events = [
            SSEEvent(event: "ping", data: "{}"),
            SSEEvent(data: "line one\nline two"),
            SSEEvent(event: "a", data: #"{"x":1}"#),
            SSEEvent(data: "[DONE]"),
        ]
        var frames = SSEFrames()
        frames.append(events[0])
        frames.append(contentsOf: [events[1]])
        frames.append(event: "a") { $0 += Array(#"{"x":1}"#.utf8) }
        frames.append(events[3])
        #expect(frames.events == events)
        #expect(frames.bytes == events.flatMap { $0.encoded() })
    }

    @Test func manyFramesGrowTheBufferAndStayWhole() {
        var frames = SSEFrames()
        var expected: [SSEEvent] = []
        for index in 0..<200 {
            let data = #"{"index":\#(index),"text":"\#(String(repeating: "x", count: index))"}"#
            frames.append(event: "delta", reserving: index % 3 == 0 ? data.utf8.count : 0) { $0 += Array(data.utf8) }
            expected.append(SSEEvent(event: "delta", data: data))
        }
        #expect(frames.events == expected)
        #expect(frames.bytes == expected.flatMap { $0.encoded() })
        var parser = SSEParser()
        #expect(parser.parse(frames.bytes) == expected)
    }

    /// A raw event appended is on the wire what it is decoded, and reads
    /// back as that: relayed as bytes when it is one line with no `id` or
    /// `retry`, decoded otherwise.
    @Test(arguments: [
        SSERawEvent(event: "content_block_delta", data: Array(#"{"delta":"héllo ✓"}"#.utf8)),
        SSERawEvent(data: Array(#"{"choices":[]}"#.utf8)),
        SSERawEvent(event: "", data: []),
        SSERawEvent(event: "a\nb", data: Array("x".utf8)),
        SSERawEvent(event: "e", data: Array("line one\nline two".utf8)),
        SSERawEvent(data: Array("x".utf8), id: "7"),
        SSERawEvent(event: "e", data: Array("x".utf8), retry: 10),
    ])
    func aRelayedFrameIsTheEventItStandsFor(event: SSERawEvent) {
        var frames = SSEFrames()
        frames.append(SSEEvent(event: "before", data: "1"))
        frames.append(event)
        frames.append(event: "after") { $0 += Array("2".utf8) }
        let expected = [SSEEvent(event: "before", data: "1"), event.decoded, SSEEvent(event: "after", data: "2")]
        #expect(frames.bytes == expected.flatMap { $0.encoded() })
        #expect(frames.events == expected)
    }

    @Test func emptyFramesAreEmpty() {
        var frames = SSEFrames()
        #expect(frames.isEmpty)
        frames.reserveCapacity(bytes: 1024, frames: 8)
        #expect(frames.isEmpty && frames.bytes.isEmpty && frames.events.isEmpty)
    }
}
