/// Text someone else chose (a client's model name or path, an upstream's
/// error message, a cassette's labels) made safe to write on one line of a
/// log or a terminal: its control characters (U+0000-U+001F, U+007F and
/// the C1 controls U+0080-U+009F) written as escapes, `\n`, `\r`, `\t` and
/// `\u001b`, so a newline cannot forge a log line of its own and an ESC or
/// OSC sequence cannot drive the terminal. Backslashes are left as they
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
            if byte < 0x20 || byte == 0x7F { return index }
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] < 0xA0 { return index }
        }
        return nil
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
