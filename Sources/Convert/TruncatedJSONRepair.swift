import Wire

/// Reads JSON text that lacks only its final closing brackets.
///
/// Some upstreams send lifecycle events cut short this way (the recorded
/// OpenAI Responses stream `parallel-tool-call-wrapper.1` has a
/// `response.created` and a `response.completed` each missing its last
/// `}`), and a tool call's arguments can stop the same way. Failing over it
/// would lose a good answer, so when appending the missing `}` / `]`, and
/// nothing else, makes valid JSON, that is what the text meant. Anything
/// else (text that is not JSON, a cut inside a string, mismatched brackets)
/// is still invalid.
///
/// Fed byte by byte (``scan(_:)``), so a caller that already walks the text
/// does not walk it twice.
struct TruncatedJSONRepair: Sendable {
    private var scanner = JSONBracketScanner()
    private var closers: [UInt8] = []
    private var mismatched = false

    /// True while the last byte scanned was inside a string literal.
    var inString: Bool { scanner.inString }

    mutating func scan(_ byte: UInt8) {
        switch scanner.scan(byte) {
        case .open(let closer): closers.append(closer)
        case .close(let byte): if closers.popLast() != byte { mismatched = true }
        case nil: break
        }
    }

    /// The brackets that close what is open, when the text scanned so far
    /// could be cut JSON: nothing mismatched, not inside a string, and
    /// something open.
    var missingClosers: String? {
        guard !mismatched, !scanner.inString, !closers.isEmpty else { return nil }
        return String(decoding: closers.reversed(), as: UTF8.self)
    }

    /// `text` (which the caller scanned) read with its missing closers.
    func repaired(_ text: String) -> (value: JSONValue, suffix: String)? {
        guard let suffix = missingClosers, let value = try? JSONValue(parsing: text + suffix) else { return nil }
        return (value, suffix)
    }

    /// The closers `data` lacks, when appending them, and nothing else,
    /// makes it one JSON value; nil for anything else (whole JSON included).
    static func suffix(completing data: [UInt8]) -> String? {
        var repair = TruncatedJSONRepair()
        for byte in data { repair.scan(byte) }
        guard let suffix = repair.missingClosers, JSONReader.isOneValue(data + suffix.utf8) else { return nil }
        return suffix
    }

    /// One whole piece of text, read as cut JSON.
    static func parse(_ text: Substring) -> JSONValue? {
        var repair = TruncatedJSONRepair()
        for byte in text.utf8 { repair.scan(byte) }
        return repair.repaired(String(text))?.value
    }
}
