import Foundation
import Wire

/// Takes a line's fields as ``CassetteLine/writeFields(to:)`` lists them:
/// ``RenderedFields`` writes their JSON at once, ``QueuedLines`` copies the
/// values for the recorder's writer thread to write later. Keys are string
/// literals; they need no escaping.
protocol CassetteFieldWriter {
    mutating func append(_ key: StaticString, _ value: String)
    /// `value` must be valid UTF-8 (the bytes of a `String`, or of frames
    /// written as SSE).
    mutating func append(_ key: StaticString, utf8 value: UnsafeBufferPointer<UInt8>)
    mutating func appendNull(_ key: StaticString)
    mutating func append(_ key: StaticString, _ value: Int64)
    mutating func append(_ key: StaticString, _ value: JSONValue)
    /// `json` must be JSON text in `JSONValue.isSerializedForm`.
    mutating func append(_ key: StaticString, serialized json: [UInt8])
    /// As ``CassetteFormat/iso8601(_:)`` writes it.
    mutating func append(_ key: StaticString, date: Date)
    /// A request or response body as ``CassetteBody/fields(for:)`` stores
    /// it; it must be the last member.
    mutating func appendBody(_ bytes: [UInt8])
    /// An upstream chunk as ``CassetteBody/chunkFields(for:)`` stores it.
    mutating func appendChunk(_ bytes: [UInt8])
    /// An SSE frame's data, valid UTF-8: `data` when it is a JSON object or
    /// array in serialized form, else `data_text`.
    mutating func appendEventData(_ data: UnsafeBufferPointer<UInt8>)
}

extension CassetteFieldWriter {
    /// `null` when `value` is nil.
    mutating func append(_ key: StaticString, _ value: String?) {
        if let value { append(key, value) } else { appendNull(key) }
    }

    /// `null` when `value` is nil.
    mutating func append(_ key: StaticString, _ value: Int64?) {
        if let value { append(key, value) } else { appendNull(key) }
    }
}
