import Testing

@testable import SSE

/// ``ByteSearch`` tests eight positions a word; a needle at any offset, across
/// a word's edge or at the very end, must be found as a plain scan finds it.
@Suite struct ByteSearchTests {
    /// Whether `needle` occurs in `haystack`, one position at a time.
    private static func plainContains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<$0 + needle.count]) == needle }
    }

    @Test func findsANeedleAtEveryOffsetAndNothingElse() {
        let needle = Array(#""usage""#.utf8)
        for length in 0..<40 {
            // A text of quotes and letters, so the needle's first bytes
            // come often without the needle.
            let filler = Array(repeating: Array(#""usag"u"#.utf8), count: 8).flatMap { $0 }
            let base = Array(filler.prefix(length))
            #expect(
                base.withUnsafeBufferPointer { haystack in
                    needle.withUnsafeBufferPointer { ByteSearch.contains($0, in: haystack) }
                } == Self.plainContains(needle, in: base), "length \(length)")
            for offset in 0...length {
                var haystack = base
                haystack.insert(contentsOf: needle, at: offset)
                let found = haystack.withUnsafeBufferPointer { haystack in
                    needle.withUnsafeBufferPointer { ByteSearch.contains($0, in: haystack) }
                }
                #expect(found, "length \(length), offset \(offset)")
            }
        }
    }

    @Test func aLineEndIsTheFirstLFOrCR() {
        let cases: [(String, Int, Int)] = [
            ("abc", 0, 3), ("ab\ncd", 0, 2), ("ab\rcd\n", 0, 2), ("ab\ncd\r", 0, 2), ("a\nb\nc", 2, 3), ("abc", 3, 3),
        ]
        for (text, start, expected) in cases {
            let end = Array(text.utf8).withUnsafeBufferPointer { ByteSearch.lineEnd(in: $0, from: start) }
            #expect(end == expected, "\(text.debugDescription) from \(start)")
        }
    }
}
