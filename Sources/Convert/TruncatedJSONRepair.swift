import Wire

/// Reads a stream event whose JSON lacks only its final closing brackets.
///
/// Some upstreams send lifecycle events cut short this way (the recorded
/// OpenAI Responses stream `parallel-tool-call-wrapper.1` has a
/// `response.created` and a `response.completed` each missing its last
/// `}`). Failing the whole stream over it would lose a good answer, so when
/// appending the missing `}` / `]`, and nothing else, makes valid JSON, that
/// is what the event meant. Anything else (text that is not JSON, a cut
/// inside a string, mismatched brackets) is still invalid.
enum TruncatedJSONRepair {
    static func parse(_ text: Substring) -> JSONValue? {
        var closers: [UInt8] = []
        var scanner = JSONBracketScanner()
        for byte in text.utf8 {
            switch scanner.scan(byte) {
            case .open(let closer):
                closers.append(closer)
            case .close(let byte):
                guard closers.popLast() == byte else { return nil }
            case nil:
                break
            }
        }
        guard !scanner.inString, !closers.isEmpty else { return nil }
        return try? JSONValue(parsing: Array(text.utf8) + closers.reversed())
    }
}
