import Testing

@testable import Wire

/// `PlainByteRun.end` against a byte-at-a-time reference: every length up
/// to three blocks, every start, one special byte at every place (or none),
/// in both modes; the tails shorter than a block take their own paths.
@Suite struct PlainByteRunTests {
    static func reference(_ bytes: [UInt8], from start: Int, nonASCII: Bool) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            let plain =
                byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && (nonASCII || byte < 0x80)
            if !plain { break }
            index += 1
        }
        return index
    }

    @Test(arguments: [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x00, 0x1F, 0x80, 0xFF, UInt8(ascii: "a")])
    func findsTheFirstSpecialByteAsByteByByteDoes(special: UInt8) {
        for length in 0...48 {
            for place in -1..<length {
                var bytes = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                if place >= 0 { bytes[place] = special }
                for start in 0...length {
                    for nonASCII in [false, true] {
                        let found = bytes.withUnsafeBufferPointer {
                            PlainByteRun.end(in: $0, from: start, nonASCII: nonASCII)
                        }
                        let expected = Self.reference(bytes, from: start, nonASCII: nonASCII)
                        #expect(found == expected, "length \(length), special at \(place), from \(start)")
                        if found != expected { return }
                    }
                }
            }
        }
    }
}
