import NIOCore
import SSE

/// How a stream's frames are written on the wire: as server-sent events, or
/// (Gemini's `streamGenerateContent` without `alt=sse`) as the elements of
/// one JSON array that a client parses as it grows: `[` before the first,
/// `,` between, `]` at the end.
struct StreamFraming {
    let jsonArray: Bool
    private var opened = false

    init(jsonArray: Bool) {
        self.jsonArray = jsonArray
    }

    /// `frames` as bytes; with `final`, whatever closes the stream too. A
    /// JSON array is written from the frames read back as events, which come
    /// along so that recording does not read them again; nil for SSE.
    mutating func encode(_ frames: SSEFrames, final: Bool = false) -> (bytes: ByteBuffer, events: [SSEEvent]?) {
        if !jsonArray { return (ByteBuffer(bytes: frames.bytes), nil) }
        var bytes: [UInt8] = []
        let events = frames.events
        for event in events {
            bytes.append(contentsOf: opened ? ",\r\n".utf8 : "[".utf8)
            opened = true
            bytes.append(contentsOf: event.data.utf8)
        }
        if final { bytes.append(contentsOf: opened ? "]".utf8 : "[]".utf8) }
        return (ByteBuffer(bytes: bytes), events)
    }
}
