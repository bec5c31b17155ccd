/// Finds where complete SSE events end in a byte stream cut anywhere.
///
/// Relaying an Anthropic-format stream is byte for byte, but only whole
/// events go out: if the upstream fails mid-event, the client then sees a
/// clean `error` frame, not a half event glued to it.
struct SSEEventBoundary: Sendable {
    private var atLineStart = true
    private var afterCR = false
    private var blankLineEndedWithCR = false

    /// Scans the next bytes of the stream.
    /// - Returns: the offset just past the last complete event in `bytes`,
    ///   or nil when no event ends in them.
    mutating func lastEventEnd(in bytes: some Sequence<UInt8>) -> Int? {
        var end: Int?
        var offset = 0
        for byte in bytes {
            offset += 1
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") {
                    // The LF of a CRLF: the line already ended at the CR.
                    if blankLineEndedWithCR { end = offset }
                    blankLineEndedWithCR = false
                    continue
                }
            }
            blankLineEndedWithCR = false
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if atLineStart {
                    end = offset
                    blankLineEndedWithCR = byte == UInt8(ascii: "\r")
                }
                atLineStart = true
                afterCR = byte == UInt8(ascii: "\r")
            default:
                atLineStart = false
            }
        }
        return end
    }
}
