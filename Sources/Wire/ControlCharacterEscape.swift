/// Text someone else chose (a client's model name or path, an upstream's
/// error message, a cassette's labels) made safe to write on one line of a
/// log or a terminal: its control characters (U+0000-U+001F, U+007F and
/// the C1 controls U+0080-U+009F) written as escapes, `\n`, `\r`, `\t` and
/// `\u001b`, so a newline cannot forge a log line of its own and an ESC or
/// OSC sequence cannot drive the terminal; and the line and paragraph
/// separators (U+2028, U+2029: a line break to many log viewers) and the
/// bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069: they
/// reorder what a line shows) as `\u2028` and the like. Backslashes are left as they
/// are: a literal `\n` in the text reads the same, but forges nothing.
///
/// Ordinary text costs one scan of its bytes and is then copied whole; only
/// text holding a control character is rewritten.
public enum ControlCharacterEscape {
    /// Appends `text`'s UTF-8 to `line`, its control characters escaped.
    public static func append(_ text: String, to line: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard let first = firstControl(in: bytes) else {
                line.append(contentsOf: bytes)
                return
            }
            line.append(contentsOf: bytes[..<first])
            var index = first
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x7F {
                    appendEscape(of: byte, to: &line)
                    index += 1
                } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                    // U+0080-U+009F, two bytes in UTF-8.
                    appendEscape(of: bytes[index + 1], to: &line)
                    index += 2
                } else if byte == 0xE2, index + 2 < bytes.count,
                    let scalar = separatorOrBidi(bytes[index + 1], bytes[index + 2])
                {
                    line.append(contentsOf: "\\u".utf8)
                    for shift in stride(from: 12, through: 0, by: -4) {
                        line.append(HexDigits.lowercase[Int(scalar >> UInt16(shift)) & 0x0F])
                    }
                    index += 3
                } else {
                    line.append(byte)
                    index += 1
                }
            }
        }
    }

    /// `text` with its control characters escaped; `text` itself when it
    /// has none.
    public static func escaped(_ text: String) -> String {
        guard containsControl(text) else { return text }
        var line: [UInt8] = []
        line.reserveCapacity(text.utf8.count + 8)
        append(text, to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Whether `text` holds a character ``append(_:to:)`` escapes.
    public static func containsControl(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { firstControl(in: $0) != nil }
    }

    /// The index of the first byte that begins a control character.
    private static func firstControl(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for index in bytes.indices {
            let byte = bytes[index]
            // Printable ASCII, nearly every byte of a log line, in one compare.
            if byte &- 0x20 < 0x5F { continue }
            if byte < 0x20 || byte == 0x7F { return index }
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] < 0xA0 { return index }
            if byte == 0xE2, index + 2 < bytes.count, separatorOrBidi(bytes[index + 1], bytes[index + 2]) != nil {
                return index
            }
        }
        return nil
    }

    /// The code point of `E2 second third` when it is U+2028-U+202E or
    /// U+2066-U+2069; nil for any other.
    private static func separatorOrBidi(_ second: UInt8, _ third: UInt8) -> UInt16? {
        guard (second == 0x80 && (0xA8...0xAE).contains(third)) || (second == 0x81 && (0xA6...0xA9).contains(third))
        else { return nil }
        return 0x2000 | UInt16(second & 0x3F) << 6 | UInt16(third & 0x3F)
    }

    /// `\n`, `\r`, `\t`, else `\u00xx` for the code point `value`.
    private static func appendEscape(of value: UInt8, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\\"))
        switch value {
        case UInt8(ascii: "\n"): line.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): line.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): line.append(UInt8(ascii: "t"))
        default:
            line.append(contentsOf: "u00".utf8)
            line.append(HexDigits.lowercase[Int(value >> 4)])
            line.append(HexDigits.lowercase[Int(value & 0x0F)])
        }
    }
}
