import Wire

/// One tool call's arguments as they stream to the client, with the two
/// repairs that are certain made on the way.
///
/// A comma outside a string is held back until the next byte that is not
/// whitespace: before `}` or `]` it was a trailing comma and is dropped,
/// before anything else it goes out. Everything else is passed on at once,
/// so the client still sees the arguments as they are written. At the end,
/// ``finish()`` reads what went out and, when only closing brackets are
/// missing, says which.
struct ToolArgumentText: Sendable {
    /// How the finished arguments read.
    enum Outcome: Sendable, Equatable {
        /// Valid JSON as sent (an empty text is the empty object).
        case complete(JSONValue)
        /// Valid once `suffix` (closing brackets) is appended.
        case closed(JSONValue, suffix: String)
        /// Only whitespace, which no client parses: `{}` must follow it.
        case blank
        /// Not JSON, and no certain repair makes it so.
        case invalid(String)
    }

    /// Everything passed on so far.
    private(set) var sent = ""
    /// True once a trailing comma was dropped.
    private(set) var droppedTrailingComma = false
    private var repair = TruncatedJSONRepair()
    /// A held-back comma and the whitespace after it.
    private var held: [UInt8] = []

    /// Takes a fragment as the upstream sent it; returns what the client
    /// gets now (the fragment itself when nothing was held back or dropped).
    mutating func pass(_ fragment: String) -> String {
        var rewritten: [UInt8]?
        var position = 0
        for byte in fragment.utf8 {
            defer { position += 1 }
            if repair.inString || held.isEmpty && byte != UInt8(ascii: ",") {
                repair.scan(byte)
                rewritten?.append(byte)
                continue
            }
            // From here on the output differs from the fragment.
            if rewritten == nil { rewritten = Array(fragment.utf8.prefix(position)) }
            if held.isEmpty || Self.isJSONWhitespace(byte) {
                held.append(byte)  // a comma outside a string, or the whitespace after it
                continue
            }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                droppedTrailingComma = true
                held.removeFirst()
            }
            rewritten! += held
            held.removeAll(keepingCapacity: true)
            if byte == UInt8(ascii: ",") {
                held.append(byte)
            } else {
                repair.scan(byte)
                rewritten!.append(byte)
            }
        }
        let out = rewritten.map { String(decoding: $0, as: UTF8.self) } ?? fragment
        sent += out
        return out
    }

    /// Reads the arguments once the call is over. A comma still held back
    /// at the end is a trailing comma, and stays dropped.
    mutating func finish() -> Outcome {
        // A comma after the last value shows that value was complete.
        let endedWithComma = !held.isEmpty
        if !held.isEmpty {
            droppedTrailingComma = true
            held.removeAll()
        }
        if sent.utf8.allSatisfy(Self.isJSONWhitespace) { return sent.isEmpty ? .complete(.object([:])) : .blank }
        if let value = try? JSONValue(parsing: sent) { return .complete(value) }
        if repair.inString { return .invalid("they end inside a string") }
        guard repair.missingClosers != nil else { return .invalid("they are malformed") }
        // `{"n":12` may have been cut from `123`: closing it is no longer certain.
        if !endedWithComma, Self.endsWithANumber(sent) { return .invalid("they end inside a number") }
        guard let (value, suffix) = repair.repaired(sent) else {
            return .invalid("they end before a value is complete")
        }
        return .closed(value, suffix: suffix)
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// True when the text's last token is a number: its trailing run of
    /// number bytes starts with a digit or `-` (the `e` of `true` does not).
    private static func endsWithANumber(_ text: String) -> Bool {
        let trimmed = text.utf8.reversed().drop(while: isJSONWhitespace)
        let run = trimmed.prefix(while: isNumberByte)
        guard let first = run.last else { return false }
        return first.isASCIIDigit || first == UInt8(ascii: "-")
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        byte.isASCIIDigit || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
    }
}
