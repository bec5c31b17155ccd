extension String {
    /// Whether the two strings have the same bytes but for the case of
    /// ASCII letters: how HTTP compares header names.
    ///
    /// Byte by byte over the contiguous UTF-8: `elementsEqual` on the UTF-8
    /// views cost ~190 instructions a name.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var name = self
        var other = other
        return name.withUTF8 { name in
            other.withUTF8 { other in
                for index in name.indices where !Self.sameIgnoringASCIICase(name[index], other[index]) {
                    return false
                }
                return true
            }
        }
    }

    /// Whether `word` occurs in the string, its ASCII letters in any case
    /// and every other byte exactly (`JSON`, `Json` and `json` are found
    /// for `json`; `ｊｓｏｎ` and `jsón` are not): a scan of the bytes in
    /// place, where `lowercased().contains(word)` copied the whole text
    /// first.
    public func containsIgnoringASCIICase(_ word: String) -> Bool {
        guard utf8.count >= word.utf8.count else { return false }
        var text = self
        var word = word
        return text.withUTF8 { text in
            word.withUTF8 { word in
                (0...(text.count - word.count)).contains { start in
                    word.indices.allSatisfy { Self.sameIgnoringASCIICase(text[start + $0], word[$0]) }
                }
            }
        }
    }

    /// Two bytes equal, or the same ASCII letter in either case: `| 0x20`
    /// lowers a capital, and the range check keeps it from pairing other
    /// bytes that differ only in that bit (`@` and `` ` ``, `[` and `{`).
    private static func sameIgnoringASCIICase(_ byte: UInt8, _ other: UInt8) -> Bool {
        byte == other || (byte | 0x20 == other | 0x20 && (byte | 0x20) &- 0x61 < 26)
    }
}
