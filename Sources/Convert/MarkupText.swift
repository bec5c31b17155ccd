/// The text a person reads on an HTML (or XML) page: what a load
/// balancer's or a gateway's error page says, for an error message.
///
/// Tags and comments go, and the contents of `script` and `style` (code,
/// not text); basic entities are decoded. Each tag leaves a space, so the
/// words of a title and a heading stay apart; the caller collapses the
/// whitespace. Not a parser: a page that breaks the rules loses at most
/// some of its text to a tag that never closes.
enum MarkupText {
    /// Whether `bytes` look like markup: the first byte that is not
    /// whitespace is `<`.
    static func isMarkup(_ bytes: [UInt8]) -> Bool {
        bytes.first { !Self.isSpace($0) } == UInt8(ascii: "<")
    }

    /// The page's text: its markup removed, its entities decoded.
    static func text(of bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), let end = markupEnd(from: index, in: bytes) {
                output.append(UInt8(ascii: " "))
                index = end
            } else if byte == UInt8(ascii: "&"), let (decoded, end) = entity(at: index, in: bytes) {
                output.append(contentsOf: decoded)
                index = end
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Where the tag, comment or declaration at `start` ends (with the
    /// element's contents and closing tag for `script` and `style`); nil
    /// when the `<` starts none (`a < b`), and it is text.
    private static func markupEnd(from start: Int, in bytes: [UInt8]) -> Int? {
        let next = start + 1
        guard next < bytes.count else { return nil }
        if bytes[next...].starts(with: "!--".utf8) {
            return find(Array("-->".utf8), in: bytes, from: next + 3).map { $0 + 3 } ?? bytes.count
        }
        guard isLetter(bytes[next]) || [UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: "?")].contains(bytes[next])
        else { return nil }
        let end = tagEnd(from: next, in: bytes)
        var nameEnd = next
        while nameEnd < bytes.count, isLetter(bytes[nameEnd]) { nameEnd += 1 }
        let name = bytes[next..<nameEnd].map { $0 | 0x20 }
        guard name.elementsEqual("script".utf8) || name.elementsEqual("style".utf8) else { return end }
        guard let closing = find(Array("</".utf8) + name, in: bytes, from: end) else { return bytes.count }
        return tagEnd(from: closing + 2, in: bytes)
    }

    /// Just past the `>` that closes the tag whose name starts at `start`,
    /// skipping quoted attribute values (`title="a > b"`).
    private static func tagEnd(from start: Int, in bytes: [UInt8]) -> Int {
        var index = start
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
        }
        return bytes.count
    }

    /// The entities a server's error page uses, by name.
    private static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
    ]

    /// The UTF-8 of the entity at `start` (`&amp;`, `&#39;`, `&#x27;`) and
    /// where it ends; nil when it is none of those, and the `&` is text.
    private static func entity(at start: Int, in bytes: [UInt8]) -> ([UInt8], Int)? {
        // The longest one read, `&#x10FFFF;`, is 10 bytes.
        let window = bytes[(start + 1)..<min(bytes.count, start + 10)]
        guard let semicolon = window.firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let name = String(decoding: bytes[(start + 1)..<semicolon], as: UTF8.self)
        let scalar: Unicode.Scalar?
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            scalar = UInt32(name.dropFirst(2), radix: 16).flatMap { Unicode.Scalar($0) }
        } else if name.hasPrefix("#") {
            scalar = UInt32(name.dropFirst(), radix: 10).flatMap { Unicode.Scalar($0) }
        } else {
            scalar = named[name]
        }
        guard let scalar else { return nil }
        return (Array(String(Character(scalar)).utf8), semicolon + 1)
    }

    /// Where `needle` first occurs in `bytes` from `start` on, ASCII letters
    /// compared without case (`</SCRIPT>`).
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start + needle.count <= bytes.count else { return nil }
        for index in start...(bytes.count - needle.count) {
            var matches = true
            for offset in 0..<needle.count where lowercased(bytes[index + offset]) != lowercased(needle[offset]) {
                matches = false
                break
            }
            if matches { return index }
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte | 0x20 : byte }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
