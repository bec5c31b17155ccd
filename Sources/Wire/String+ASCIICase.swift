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
                for index in name.indices {
                    let byte = name[index]
                    let otherByte = other[index]
                    guard byte == otherByte || (byte | 0x20 == otherByte | 0x20 && (byte | 0x20) &- 0x61 < 26) else {
                        return false
                    }
                }
                return true
            }
        }
    }
}
