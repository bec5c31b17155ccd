/// Follows JSON text fed in fragments and tells when a top-level object or
/// array has closed, without parsing it.
///
/// The stream transcoder uses it to know when one tool call's arguments are
/// done, so the next call's block may start; it costs one pass over each
/// fragment, however the arguments are split.
struct JSONCompletenessTracker: Sendable {
    private var scanner = JSONBracketScanner()
    private var depth = 0
    private var opened = false

    /// True once a top-level `{...}` or `[...]` has been seen to close.
    var isComplete: Bool { opened && depth == 0 && !scanner.inString }

    mutating func consume(_ fragment: String) {
        for byte in fragment.utf8 {
            switch scanner.scan(byte) {
            case .open:
                depth += 1
                opened = true
            case .close:
                depth -= 1
            case nil:
                break
            }
        }
    }
}
