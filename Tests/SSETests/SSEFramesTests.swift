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

    @Test func emptyFramesAreEmpty() {
        var frames = SSEFrames()
        #expect(frames.isEmpty)
        frames.reserveCapacity(bytes: 1024, frames: 8)
        #expect(frames.isEmpty && frames.bytes.isEmpty && frames.events.isEmpty)
    }
}
