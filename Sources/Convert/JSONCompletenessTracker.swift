/// Follows JSON text fed in fragments and tells when a top-level object or
/// array has closed, without parsing it.
///
/// The stream transcoder uses it to know when one tool call's arguments are
/// done, so the next call's block may start; it costs one pass over each
/// fragment, however the arguments are split.
struct JSONCompletenessTracker: Sendable {
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var opened = false

    /// True once a top-level `{...}` or `[...]` has been seen to close.
    var isComplete: Bool { opened && depth == 0 && !inString }

    mutating func consume(_ fragment: String) {
        for byte in fragment.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                opened = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
        }
    }
}
