import SSE
import Testing

@Suite struct SSEEventMentionsTests {
    @Test func findsBytesAnywhereInTheData() {
        let event = SSEEvent(data: #"{"choices":[],"usage":{"prompt_tokens":1}} ✓"#)
        #expect(event.dataMentions("usage"))
        #expect(event.dataMentions(#""usage":{"#))
        #expect(event.dataMentions("{"))
        #expect(event.dataMentions("✓"))
        #expect(event.dataMentions("} ✓"))
        #expect(!event.dataMentions(#""usage": {"#))
        #expect(!event.dataMentions("error"))
        #expect(!event.dataMentions("✓✓"))
        #expect(SSEEvent(data: "").dataMentions(""))
        #expect(!SSEEvent(data: "us").dataMentions("usage"))
        #expect(SSEEvent(data: "usage").dataMentions("usage"))
        #expect(!SSEEvent(event: "usage", data: "x").dataMentions("usage"))
    }
}
