/// A credential as an upstream may quote it back: as it is, or inside a
/// JSON string, where an encoder may have escaped any of its characters
/// (`\/` for `/`, as PHP's and Foundation's encoders write it; `\u002d` for
/// `-`; `\"` and `\\`). A search for its plain bytes misses every escaped
/// form, and the client, reading the JSON, gets the key itself.
///
/// Each of the credential's bytes is matched as itself or as a JSON escape
/// that stands for it; escapes of characters beyond ASCII are not read
/// (keys are ASCII), so such a byte matches only as itself.
struct QuotedCredential {
    let bytes: [UInt8]

    init(_ credential: String) {
        bytes = Array(credential.utf8)
    }

    /// The first place `text` quotes the credential, from `start` on.
    func firstQuote(in text: [UInt8], from start: Int = 0) -> Range<Int>? {
        guard let first = bytes.first else { return nil }
        var index = start
        while index < text.count {
            let byte = text[index]
            if byte == first || byte == Self.backslash, let end = quoteEnd(in: text, at: index) {
                return index..<end
            }
            index += 1
        }
        return nil
    }

    /// Where a quote of the credential starting at `start` ends, if one does.
    private func quoteEnd(in text: [UInt8], at start: Int) -> Int? {
        var index = start
        for expected in bytes {
            guard index < text.count else { return nil }
            if text[index] == Self.backslash, let (byte, length) = Self.escape(in: text, at: index), byte == expected {
                index += length
            } else if text[index] == expected {
                index += 1
            } else {
                return nil
            }
        }
        return index
    }

    private static let backslash = UInt8(ascii: "\\")

    /// The ASCII byte a JSON escape at `index` stands for, and its length.
    private static func escape(in text: [UInt8], at index: Int) -> (byte: UInt8, length: Int)? {
        guard index + 1 < text.count else { return nil }
        switch text[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return (text[index + 1], 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            guard index + 6 <= text.count else { return nil }
            var value: UInt32 = 0
            for digit in text[(index + 2)..<(index + 6)] {
                guard let nibble = hexValue(digit) else { return nil }
                value = value << 4 | nibble
            }
            return value < 0x80 ? (UInt8(value), 6) : nil
        default: return nil
        }
    }

    private static func hexValue(_ digit: UInt8) -> UInt32? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(digit - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(digit - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(digit - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
