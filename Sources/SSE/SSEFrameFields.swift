/// One frame's fields as a client reads them, in bytes: what
/// ``SSEFrames/forEachFrame(_:)`` and ``SSEEvent/withFields(_:)`` hand over,
/// so a recording can write a frame without making text of it. The
/// buffers are valid UTF-8, and valid during the call only.
public struct SSEFrameFields {
    /// The `event:` name; nil when the frame has none.
    public let name: UnsafeBufferPointer<UInt8>?
    /// The data, its lines joined by line feeds.
    public let data: UnsafeBufferPointer<UInt8>
    /// The `id:` field, when present.
    public let id: String?
    /// The `retry:` field in milliseconds, when present.
    public let retry: Int?
}

extension SSEEvent {
    /// Calls `body` with this event's fields as bytes.
    public func withFields<Result>(_ body: (SSEFrameFields) -> Result) -> Result {
        var data = data
        return data.withUTF8 { data in
            guard var name = event else { return body(SSEFrameFields(name: nil, data: data, id: id, retry: retry)) }
            return name.withUTF8 { body(SSEFrameFields(name: $0, data: data, id: id, retry: retry)) }
        }
    }
}
