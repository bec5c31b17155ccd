/// Frames on their way to a client: their wire bytes, written once, and
/// what each frame holds for whoever reads them as events (a recording, a
/// replay's comparison, a JSON-array stream).
///
/// A stream encoder can write a frame's data straight into ``bytes``
/// (``append(event:reserving:data:)``). A frame built as an ``SSEEvent``
/// first, its data a `String`, and then encoded copied and validated its
/// text twice on the way, and cost a converted Responses stream (nine
/// frames, two of them whole responses) about 20 K instructions a request.
public struct SSEFrames: Sendable {
    /// The frames as the client reads them, in order.
    public private(set) var bytes: [UInt8] = []
    private var frames: [Frame] = []
    /// The frames appended as events, which ``Frame/event(_:)`` indexes.
    /// Apart, so that a `Frame` holds no reference and an array of them
    /// is freed without visiting each one.
    private var appended: [SSEEvent] = []

    private enum Frame: Sendable {
        /// Appended as an event: its index in `appended`.
        case event(Int)
        /// Written as bytes: the event name (nil: none), and where the data
        /// is in `bytes`.
        case written(name: StaticString?, data: Range<Int>)
        /// Relayed as it came: where its name (nil: none) and its data are
        /// in `bytes`.
        case relayed(name: Range<Int>?, data: Range<Int>)
    }

    public init() {}

    /// The number of frames.
    public var count: Int { frames.count }
    public var isEmpty: Bool { frames.isEmpty }

    /// About how many bytes the frames keep: their wire bytes, and the data
    /// of frames appended as events, which are kept as events too (what a
    /// recording's queue counts against its bound).
    public var heldByteCount: Int {
        appended.reduce(bytes.count) { $0 + $1.data.utf8.count }
    }

    /// Room for `byteCount` more bytes and `frameCount` more frames, so a
    /// chunk's frames grow the buffers once.
    public mutating func reserveCapacity(bytes byteCount: Int, frames frameCount: Int) {
        bytes.reserveCapacity(bytes.count + byteCount)
        frames.reserveCapacity(frames.count + frameCount)
    }

    /// Appends `event`, encoded.
    public mutating func append(_ event: SSEEvent) {
        event.encode(into: &bytes)
        frames.append(.event(appended.count))
        // Room for as many events as frames were reserved for, once: grown
        // from empty, the array was reallocated three or four times a chunk.
        if appended.capacity == 0 { appended.reserveCapacity(frames.capacity) }
        appended.append(event)
    }

    /// Appends `events`, encoded. An array, not any sequence: a generic
    /// function is not specialized across modules, and iterating through
    /// the protocol cost the Anthropic relay 2 K instructions a stream.
    public mutating func append(contentsOf events: [SSEEvent]) {
        for event in events { append(event) }
    }

    /// Appends `event`, as ``append(_:)-(SSEEvent)`` would append it decoded,
    /// with no text made of its data (nor of its name, until it is read as
    /// an event). One with an `id` or `retry`, or data of several lines, is
    /// appended decoded.
    public mutating func append(_ event: SSERawEvent) {
        let oneLine = event.data.withUnsafeBufferPointer { ByteSearch.lineEnd(in: $0, from: 0) == $0.count }
        guard oneLine, event.id == nil, event.retry == nil else { return append(event.decoded) }
        var name: Range<Int>?
        if event.event != nil { name = writeLine("event: ") { $0.append(contentsOf: event.event!.utf8) } }
        let data = writeLine("data: ") { $0.append(contentsOf: event.data) }
        bytes.append(0x0A)
        frames.append(.relayed(name: name, data: data))
    }

    /// Appends the frame `event: <name>`, its data what `writeData` writes:
    /// one line of valid UTF-8 (compact JSON), with no line break, which
    /// would end the data line early.
    /// - Parameters:
    ///   - name: the event's name, one of the dialect's (a constant: the
    ///     frame keeps it, and makes a `String` of it only when read as an
    ///     event); nil for a frame with no `event:` line (OpenAI Chat's and
    ///     Gemini's).
    ///   - size: about how many bytes `writeData` writes; the buffer grows by
    ///     at least half its size when they do not fit, not to the exact size
    ///     (which would copy it once per frame).
    public mutating func append(
        event name: StaticString?, reserving size: Int = 0, data writeData: (inout [UInt8]) -> Void
    ) {
        // Room for the name too (an event name is short; its length is not
        // read, which a one-character literal stored as a scalar lacks).
        let needed = bytes.count + size + 64
        if bytes.capacity < needed { bytes.reserveCapacity(max(needed, bytes.capacity + bytes.capacity / 2)) }
        if let name { _ = writeLine("event: ") { Self.write(name, to: &$0) } }
        let data = writeLine("data: ", writeData)
        assert(!bytes[data].contains(0x0A) && !bytes[data].contains(0x0D), "a frame's data must be one line")
        bytes.append(0x0A)
        frames.append(.written(name: name, data: data))
    }

    /// Writes `field` (`event: ` or `data: `), the value `writeValue`
    /// writes and a line feed; returns where the value is. A frame ends
    /// with one more line feed after its data line.
    private mutating func writeLine(_ field: StaticString, _ writeValue: (inout [UInt8]) -> Void) -> Range<Int> {
        Self.write(field, to: &bytes)
        let start = bytes.count
        writeValue(&bytes)
        let value = start..<bytes.count
        bytes.append(0x0A)
        return value
    }

    /// The frames as events, as a client's parser reads them.
    public var events: [SSEEvent] {
        frames.map { frame in
            switch frame {
            case .event(let index): appended[index]
            case .written(let name, let data):
                SSEEvent(event: name?.description, data: String(decoding: bytes[data], as: UTF8.self))
            case .relayed(let name, let data):
                SSEEvent(
                    event: name.map { String(decoding: bytes[$0], as: UTF8.self) },
                    data: String(decoding: bytes[data], as: UTF8.self))
            }
        }
    }

    /// Calls `body` with each frame's fields, in order, as ``events`` reads
    /// them but in bytes: a frame written or relayed as bytes is handed
    /// over from ``bytes``, with no `String` made of it (how a recording
    /// takes a stream's frames).
    public func forEachFrame(_ body: (SSEFrameFields) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            for frame in frames {
                switch frame {
                case .event(let index):
                    appended[index].withFields(body)
                case .written(let name, let data):
                    let data = UnsafeBufferPointer(rebasing: buffer[data])
                    guard let name else {
                        body(SSEFrameFields(name: nil, data: data, id: nil, retry: nil))
                        continue
                    }
                    name.withUTF8Buffer { body(SSEFrameFields(name: $0, data: data, id: nil, retry: nil)) }
                case .relayed(let name, let data):
                    body(
                        SSEFrameFields(
                            name: name.map { UnsafeBufferPointer(rebasing: buffer[$0]) },
                            data: UnsafeBufferPointer(rebasing: buffer[data]), id: nil, retry: nil))
                }
            }
        }
    }

    private static func write(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
}
