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

    /// A raw event answers as its decoded event does.
    @Test(arguments: ["usage", #""usage":{"#, "{", "✓", "} ✓", #""usage": {"#, "error", "✓✓", ""] as [StaticString])
    func aRawEventFindsWhatItsTextHolds(word: StaticString) {
        for data in [#"{"choices":[],"usage":{"prompt_tokens":1}} ✓"#, "", "us", "usage"] {
            let raw = SSERawEvent(event: "usage", data: Array(data.utf8))
            #expect(raw.dataMentions(word) == raw.decoded.dataMentions(word), "\(word) in \(data)")
        }
    }
}
