extension JSONValue {
    /// `bytes` without the whitespace JSON's grammar ignores: runs outside
    /// strings that touch a structural character (`{`, `}`, `[`, `]`, `:`,
    /// `,`) or either end of the text. Nil when there is none to take out.
    ///
    /// A run between two other tokens (`1 2`, `"a" "b"`, `true false`) is
    /// kept: taking it out would join them into one (`12`), and a text that
    /// is not JSON must stay not JSON. Every token keeps its bytes, so the
    /// result parses exactly when `bytes` do, to the same value. A cassette
    /// keeps a pretty-printed body (OpenAI's answers are) as it keeps a
    /// compact one, where it took a JSON tree and a serialization before.
    public static func droppingInsignificantWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        // Where the bytes not yet copied to `output` begin.
        var copiedUpTo = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index = Self.endOfString(in: bytes, from: index + 1)
                continue
            }
            guard Self.isWhitespace(byte) else {
                index += 1
                continue
            }
            let runStart = index
            while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
            let before = runStart > 0 ? bytes[runStart - 1] : nil
            let after = index < bytes.count ? bytes[index] : nil
            guard before.map(Self.isStructural) ?? true || after.map(Self.isStructural) ?? true else { continue }
            if output.isEmpty { output.reserveCapacity(bytes.count) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<runStart]))
            copiedUpTo = index
        }
        guard copiedUpTo > 0 else { return nil }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo...]))
        return output
    }

    /// The index after the string's closing quote (the text's end when it
    /// has none), `start` being the index after its opening quote.
    private static func endOfString(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while true {
            index = PlainByteRun.end(in: bytes, from: index, nonASCII: true)
            guard index < bytes.count else { return index }
            switch bytes[index] {
            case UInt8(ascii: "\""): return index + 1
            // An escape's second byte is never the string's end.
            case UInt8(ascii: "\\"): index += 2
            // A control character (not JSON inside a string) is gone over:
            // the text stays what it was, and the parser says no to it.
            default: index += 1
            }
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func isStructural(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":"),
            UInt8(ascii: ","):
            true
        default: false
        }
    }
}
