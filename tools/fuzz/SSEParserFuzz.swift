import SSE
import StreamCheckers

/// Input: three slice-size bytes, then SSE bytes.
enum SSEParserFuzz {
    static func run(_ input: inout FuzzInput) {
        let sizes = input.sliceSizes()
        let bytes = input.payload
        var whole = SSEParser()
        let expected = whole.parse(bytes) + whole.finish()
        var sliced = SSEParser()
        var events: [SSEEvent] = []
        for slice in ByteSlices(bytes, sizes: sizes) { events += sliced.parse(slice) }
        events += sliced.finish()
        require(events == expected, "cut in slices of \(sizes), the parser read \(events), whole \(expected)")
        // What the parser read, written out and read again, is the same events.
        var reread = SSEParser()
        let wire = expected.flatMap { $0.encoded() }
        let again = reread.parse(wire) + reread.finish()
        require(again == expected, "events written and read again: \(again), first read \(expected)")
    }
}
