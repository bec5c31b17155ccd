/// Base64 (RFC 4648) for the converters, which do not use Foundation.
///
/// Protobuf's JSON form, which Gemini speaks, writes `bytes` fields in base64
/// and reads either alphabet with or without padding; its clients do the
/// same (google-genai decodes a `thoughtSignature` and sends it back in the
/// URL-safe alphabet). So decoding here takes both alphabets and optional
/// padding, and encoding writes the standard alphabet, padded.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` in the standard alphabet, padded.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(group >> 6 & 63)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(group & 63)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes, in either alphabet (not both mixed), with or
    /// without padding; nil when it is not base64 (other characters, a
    /// length no encoding has, padding in the middle, or bits left over in
    /// the last character, which a canonical encoder never sets).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var utf8 = Substring(text).utf8[...]
        var padding = 0
        while utf8.last == UInt8(ascii: "=") && padding < 2 {
            utf8.removeLast()
            padding += 1
        }
        let remainder = utf8.count % 4
        guard remainder != 1, padding == 0 || (utf8.count + padding) % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count * 3 / 4)
        var group: UInt32 = 0
        var count = 0
        var urlSafe: Bool?
        for byte in utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard urlSafe != (byte == UInt8(ascii: "+")) else { return nil }
                urlSafe = byte == UInt8(ascii: "-")
                value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"):
                guard urlSafe != (byte == UInt8(ascii: "/")) else { return nil }
                urlSafe = byte == UInt8(ascii: "_")
                value = 63
            default: return nil
            }
            group = group << 6 | UInt32(value)
            count += 1
            if count == 4 {
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
                group = 0
                count = 0
            }
        }
        switch count {
        case 2:
            guard group & 0xF == 0 else { return nil }
            output.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            guard group & 0x3 == 0 else { return nil }
            output.append(UInt8(truncatingIfNeeded: group >> 10))
            output.append(UInt8(truncatingIfNeeded: group >> 2))
        default: break
        }
        return output
    }
}
