import Wire

/// An event as ``SSEParser`` dispatched it, its data still bytes: the
/// `data:` lines joined by line feeds, always valid UTF-8 (the parser
/// replaces what is not, as `String(decoding:as:)` does), so the bytes are
/// exactly those of ``decoded``'s `data`.
///
/// A relay that writes most events on as they came reads their names, and
/// parses the data of the few it must look into straight from the bytes
/// (``SSEFrames/append(_:)-(SSERawEvent)``): a `String` made of every
/// event's data, then written out again, was a fifth of what relaying an
/// Anthropic stream cost.
public struct SSERawEvent: Sendable, Equatable {
    /// The `event:` name; nil when the frame had none.
    public var event: String?
    /// The data's UTF-8.
    public var data: [UInt8]
    /// The `id:` field, when present.
    public var id: String?
    /// The `retry:` field in milliseconds, when present and numeric.
    public var retry: Int?

    /// - Parameter data: valid UTF-8 (JSON that Wire serialized is).
    public init(event: String? = nil, data: [UInt8], id: String? = nil, retry: Int? = nil) {
        assert(data.withUnsafeBufferPointer { UTF8Validation.isValid($0) }, "an event's data must be valid UTF-8")
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// The event with its data as text.
    public var decoded: SSEEvent {
        SSEEvent(event: event, data: String(decoding: data, as: UTF8.self), id: id, retry: retry)
    }

    /// Whether `data` holds `word`'s bytes anywhere (see ``SSEEvent/dataMentions(_:)``).
    public func dataMentions(_ word: StaticString) -> Bool {
        data.withUnsafeBufferPointer { ByteSearch.contains(word, in: $0) }
    }
}
