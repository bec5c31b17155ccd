// Whether an upstream asked to stream answered whole instead: kept apart
// from the converter's state machine, which only learns the answer.
extension UpstreamStreamConverter {
    /// Whether an upstream asked to stream answered with one JSON body
    /// instead (`content-type: application/json`): a gateway that ignores
    /// `stream: true`, or one that puts its error in a 200. Read as an event
    /// stream, its answer or its error was lost and the client told only
    /// that the stream "ended early"; it is read whole, as for `can_stream:
    /// false`. Not for Gemini, whose stream without `alt=sse` is a JSON
    /// array by design.
    public static func answersWhole(contentType: String?, dialect: Dialect) -> Bool {
        guard let contentType, dialect != .gemini else { return false }
        // By byte, on every streamed answer: `text/event-stream` differs at once.
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }.drop { $0 == UInt8(ascii: " ") }
        let json = "application/json".utf8
        guard type.count >= json.count,
            zip(type, json).allSatisfy({ ($0 | 0x20) == $1 })  // lowercased; '/' has the bit already
        else { return false }
        return type.dropFirst(json.count).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// Whether a body labelled JSON (``answersWhole(contentType:dialect:)``)
    /// is one: it starts with `{`. Some servers label their event stream
    /// `application/json` (`data: ...` follows), which is read as a stream;
    /// nil while `bytes` hold only whitespace.
    public static func startsAnObject(_ bytes: some Sequence<UInt8>) -> Bool? {
        for byte in bytes where !Self.isJSONWhitespace(byte) { return byte == UInt8(ascii: "{") }
        return nil
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\t")
    }
}
