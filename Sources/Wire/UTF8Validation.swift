/// UTF-8 checked as `String(validating:as:)` checks it (no overlong forms,
/// no surrogates, nothing past U+10FFFF), in place and without allocating.
public enum UTF8Validation {
    /// The length of the valid sequence that starts at `index` with a byte
    /// of 0x80 or more, or nil when it is not valid UTF-8.
    static func sequenceLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        // The allowed range of the second byte depends on the lead byte;
        // the bytes after it are plain continuations (0x80...0xBF).
        let length: Int
        let second: ClosedRange<UInt8>
        switch lead {
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return nil
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return nil }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Whether `bytes` are valid UTF-8: `String(decoding:as:)` would keep
    /// them as they are.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // ASCII runs a word at a time: most chunks are nothing else.
        var index = asciiRunEnd(in: bytes, from: 0)
        while index < bytes.count {
            guard let length = sequenceLength(in: bytes, at: index) else { return false }
            index = asciiRunEnd(in: bytes, from: index + length)
        }
        return true
    }

    /// `bytes` as a `String`, or nil when they are not valid UTF-8: what
    /// `String(validating:as:)` gives, for text that is mostly ASCII.
    ///
    /// The standard library checks UTF-8 a byte at a time once the text
    /// holds one byte of 0x80 or above, and a long prompt with one dash or
    /// ellipsis in it has some: that check was 18% of the proxy's work on
    /// Claude Code's 47 KB request. Here the ASCII runs go in as they are
    /// (the library's ASCII test is a word at a time), and only the runs of
    /// other characters are checked, ours first, then the library's, on a
    /// few bytes each.
    static func string(validating bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var result = ""
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let asciiEnd = asciiRunEnd(in: bytes, from: index)
            if asciiEnd > index {
                result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<asciiEnd]), as: UTF8.self))
            }
            var end = asciiEnd
            while end < bytes.count, bytes[end] >= 0x80 {
                guard let length = sequenceLength(in: bytes, at: end) else { return nil }
                end += length
            }
            if end > asciiEnd {
                // Checked: decoding repairs nothing.
                result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[asciiEnd..<end]), as: UTF8.self))
            }
            index = end
        }
        return result
    }

    /// The index of the first byte of 0x80 or above from `start` on, eight
    /// bytes at a time; `bytes.count` when there is none. (Sixteen at a
    /// time, two words, saved 0.4% on Claude Code's request: not kept.)
    private static func asciiRunEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UInt64(
                    littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let high = word & 0x8080_8080_8080_8080
                if high != 0 { return index + high.trailingZeroBitCount >> 3 }
                index += 8
            }
        }
        while index < bytes.count, bytes[index] < 0x80 { index += 1 }
        return index
    }
}
