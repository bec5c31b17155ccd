/// Lowercase hexadecimal, the one table every writer of hex uses: JSON's
/// `\u00xx` escapes, the redactor's fingerprints, shortened tool ids.
public enum HexDigits {
    /// `0`-`9` then `a`-`f`, as bytes: indexed by a nibble.
    public static let lowercase: [UInt8] = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex, two digits a byte.
    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(lowercase[Int(byte >> 4)])
            text.append(lowercase[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
