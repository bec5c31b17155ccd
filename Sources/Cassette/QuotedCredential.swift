/// A credential as an upstream may quote it back: as it is, or inside a
/// JSON string, where an encoder may have escaped any of its characters
/// (`\/` for `/`, as PHP's and Foundation's encoders write it; `\u002d` for
/// `-`; `\"` and `\\`). A search for its plain bytes misses every escaped
/// form, and the client, reading the JSON, gets the key itself.
///
/// A JSON string inside a JSON string (an error quoting a JSON-encoded
/// request, itself encoded, as some gateways write it) escapes each
/// escape's backslash in turn: `\\u002d`, `\\\/`, `\u005cu002d`. The client
/// that decodes both gets the key too.
///
/// Each of the credential's bytes is matched as itself or as a JSON escape
/// that stands for it, once or twice over; escapes of characters beyond
/// ASCII are not read (keys are ASCII), so such a byte matches only as
/// itself.
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
            if text[index] == Self.backslash, let length = Self.escapeLength(of: expected, in: text, at: index) {
                index += length
            } else if text[index] == expected {
                index += 1
            } else {
                return nil
            }
        }
        return index
    }

    /// The length of an escape at `index` (a backslash) that stands for
    /// `byte`, once decoded or twice. Twice is tried first where it can be
    /// (the escape, decoded once, is a backslash): read once, `\\\\` is a
    /// backslash followed by another, and a key's backslash escaped twice
    /// would leave half its escape behind. Any other escape (`\n`, `\"`,
    /// common in a chunk's text) is read once, as it always was.
    private static func escapeLength(of byte: UInt8, in text: [UInt8], at index: Int) -> Int? {
        guard let once = decoded(in: text, at: index, levels: 1) else { return nil }
        if once.byte == backslash, let twice = decoded(in: text, at: index, levels: 2), twice.byte == byte {
            return twice.length
        }
        return once.byte == byte ? once.length : nil
    }

    private static let backslash = UInt8(ascii: "\\")

    /// The ASCII byte that `text` from `index` on stands for once decoded
    /// as a JSON string's content `levels` times, and the length of its
    /// form: one level reads a byte or an escape, and each level more reads
    /// an escape's bytes (its backslash, its letter, its hex digits) at the
    /// level below.
    private static func decoded(in text: [UInt8], at index: Int, levels: Int) -> (byte: UInt8, length: Int)? {
        guard index < text.count else { return nil }
        guard levels > 0 else { return (text[index], 1) }
        guard let (first, firstLength) = decoded(in: text, at: index, levels: levels - 1) else { return nil }
        guard first == backslash else { return (first, firstLength) }
        var end = index + firstLength
        guard let (letter, letterLength) = decoded(in: text, at: end, levels: levels - 1) else { return nil }
        end += letterLength
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return (letter, end - index)
        case UInt8(ascii: "b"): return (0x08, end - index)
        case UInt8(ascii: "f"): return (0x0C, end - index)
        case UInt8(ascii: "n"): return (0x0A, end - index)
        case UInt8(ascii: "r"): return (0x0D, end - index)
        case UInt8(ascii: "t"): return (0x09, end - index)
        case UInt8(ascii: "u"):
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let (digit, digitLength) = decoded(in: text, at: end, levels: levels - 1),
                    let nibble = hexValue(digit)
                else { return nil }
                value = value << 4 | nibble
                end += digitLength
            }
            return value < 0x80 ? (UInt8(value), end - index) : nil
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
