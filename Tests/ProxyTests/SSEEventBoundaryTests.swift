import Testing

@testable import Proxy

@Suite struct SSEEventBoundaryTests {
    /// Feeds `text` split at `split` and collects the absolute event ends.
    private func ends(_ text: String, splitAt split: Int) -> [Int] {
        let bytes = Array(text.utf8)
        var boundary = SSEEventBoundary()
        var found: [Int] = []
        for (start, part) in [(0, bytes[..<split]), (split, bytes[split...])] {
            if let end = boundary.lastEventEnd(in: part) { found.append(start + end) }
        }
        return found
    }

    @Test func findsTheLastCompleteEventAtEverySplit() {
        let text = "event: a\ndata: 1\n\nevent: b\ndata: 2\n\nevent: c\nda"
        let firstEnd = 18
        let secondEnd = 36
        for split in 0...text.utf8.count {
            let found = ends(text, splitAt: split)
            let expected: [Int] =
                split < firstEnd ? [secondEnd] : split < secondEnd ? [firstEnd, secondEnd] : [secondEnd]
            #expect(found == expected, "split at \(split)")
        }
    }

    @Test func crlfAndCRLineEndsCount() {
        let crlf = "data: 1\r\n\r\ndata: 2\r\n"
        for split in 0...crlf.utf8.count {
            #expect(ends(crlf, splitAt: split).last == 11, "split at \(split)")
        }
        let cr = "data: 1\r\rdata: 2\r"
        #expect(ends(cr, splitAt: 3) == [9])
    }

    @Test func noBlankLineNoEvent() {
        var boundary = SSEEventBoundary()
        #expect(boundary.lastEventEnd(in: Array("data: 1\ndata: 2\n".utf8)) == nil)
        #expect(boundary.lastEventEnd(in: Array("\n".utf8)) == 1)
    }
}
