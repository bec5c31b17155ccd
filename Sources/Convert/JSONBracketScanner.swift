/// Walks JSON text byte by byte and reports the brackets that sit outside
/// string literals, so callers can follow nesting without parsing.
///
/// Both the stream transcoder's completeness check and the truncated-event
/// repair need the same string and escape rules; keeping them here means a
/// fix to one (say, a new escape case) cannot miss the other.
struct JSONBracketScanner: Sendable {
    /// A bracket met outside a string.
    enum Bracket: Equatable {
        /// `{` or `[`; `closer` is the byte that ends it.
        case open(closer: UInt8)
        /// `}` or `]`, the byte itself.
        case close(UInt8)
    }

    /// True while the last byte scanned was inside a string literal.
    private(set) var inString = false
    private var escaped = false

    /// Advances over one byte; returns the bracket it is, if it is one outside a string.
    mutating func scan(_ byte: UInt8) -> Bracket? {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return nil
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            return nil
        case UInt8(ascii: "{"):
            return .open(closer: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            return .open(closer: UInt8(ascii: "]"))
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            return .close(byte)
        default:
            return nil
        }
    }
}
