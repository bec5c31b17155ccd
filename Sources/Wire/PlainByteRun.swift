/// Finds where a run of bytes that a JSON string holds as they are ends,
/// eight bytes at a time: escaping a 50 KB prompt, or checking one is in
/// serialized form, is otherwise a branch per byte.
enum PlainByteRun {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first byte from `start` on that is a control
    /// character, `"` or `\`, or (when `nonASCII` is false) 0x80 or above;
    /// `bytes.count` when there is none.
    @inline(__always)
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, nonASCII: Bool) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if holdsSpecialByte(word, nonASCII: nonASCII) { break }
                index += 8
            }
        }
        while index < bytes.count, isPlain(bytes[index], nonASCII: nonASCII) { index += 1 }
        return index
    }

    @inline(__always)
    static func isPlain(_ byte: UInt8, nonASCII: Bool) -> Bool {
        byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && (nonASCII || byte < 0x80)
    }

    /// Whether any byte of `word` is not plain. Each test is the classic
    /// "has a byte less than n" / "has a zero byte" trick, exact for "any".
    @inline(__always)
    private static func holdsSpecialByte(_ word: UInt64, nonASCII: Bool) -> Bool {
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteOrBackslash = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highBits
        let high = nonASCII ? 0 : word & highBits
        return control | quoteOrBackslash | high != 0
    }
}
