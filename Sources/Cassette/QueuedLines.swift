import Foundation
import SSE
import Wire

/// The lines waiting for the recorder's writer thread, their values copied
/// into one growing byte buffer.
///
/// A queued closure per line (capturing its bytes, headers and strings)
/// cost the caller an allocation or more per line and the writer thread the
/// frees, the retains and releases, and an event and a text array per line:
/// about a third of the writer's CPU on a streamed exchange of 14 lines.
/// Here a line is appended as plain bytes (kind, exchange id, time, then
/// each field's key and value, see ``CassetteFieldWriter``), except that a
/// body is kept by reference: its array is retained, not copied (Claude
/// Code's requests are ~50 KB, two of them an exchange). The writer
/// replays them into one reused ``RenderedFields``, which does the costly
/// part (escaping, checking JSON, finding a body's parts) off the caller's
/// thread. The buffer and the writer's batch swap, so neither side
/// allocates in the steady state.
///
/// A stream's frames to the client are kept by reference too, as the
/// ``SSEFrames`` written to the client: the writer makes their
/// `client_event` lines from the frames' bytes, so a stream's events are
/// not read back into `String`s (nor their values copied) on the way.
///
/// Whole ``CassetteEvent``s (tests, tools) are kept aside, in order, and
/// the buffer refers to them.
struct QueuedLines: Sendable {
    /// What follows a line's start or one of its fields.
    fileprivate enum Tag: UInt8 {
        /// The line ends.
        case end
        /// A whole event: its index in ``events``.
        case event
        /// A line: the kind's index in `Kind.allCases`, the exchange id,
        /// the time, then its fields up to ``end``.
        case line
        /// A `client_event` line per frame of queued ``SSEFrames``: their
        /// index in ``frames``, the exchange id, the time.
        case clientEvents
        case string, null, integer, serialized, date, body, chunk, eventData
    }

    /// The most capacity an emptied queue keeps.
    static let keptCapacity = 4 << 20

    /// Kinds by the code a line starts with (`allCases` makes an array per call).
    private static let kinds = CassetteEvent.Kind.allCases

    fileprivate var bytes = QueuedBytes()
    /// Where a ``JSONValue`` is serialized before it is queued (its
    /// writer takes an array), reused.
    private var scratch: [UInt8] = []
    private var events: [CassetteEvent] = []
    /// The bodies queued, which a ``Tag/body`` field refers to by index.
    fileprivate var bodies: [[UInt8]] = []
    /// The frames queued, which a ``Tag/clientEvents`` entry refers to by index.
    fileprivate var frames: [SSEFrames] = []
    /// The bytes of ``bodies`` and ``frames``.
    private var bodyBytes = 0
    /// The lines queued.
    private(set) var count = 0

    /// The bytes held, bodies included, which bound the queue's memory.
    var byteCount: Int { bytes.count + bodyBytes }

    var isEmpty: Bool { count == 0 }

    mutating func append(exchange: String, timeMicros: Int64, _ line: CassetteLine) {
        appendTag(.line)
        bytes.append(UInt8(Self.kinds.firstIndex(of: line.kind)!))
        appendText(exchange)
        appendWord(UInt64(bitPattern: timeMicros))
        line.writeFields(to: &self)
        appendTag(.end)
        count += 1
    }

    /// A `client_event` line for each of `frames` (by reference, see the
    /// type's comment).
    mutating func append(exchange: String, timeMicros: Int64, clientEvents frames: SSEFrames) {
        guard !frames.isEmpty else { return }
        appendTag(.clientEvents)
        appendWord(UInt64(self.frames.count))
        appendText(exchange)
        appendWord(UInt64(bitPattern: timeMicros))
        self.frames.append(frames)
        bodyBytes += frames.heldByteCount
        count += frames.count
    }

    mutating func append(_ event: CassetteEvent) {
        appendTag(.event)
        appendWord(UInt64(events.count))
        events.append(event)
        count += 1
    }

    /// Empties the queue, keeping its capacity unless a burst grew it
    /// past ``keptCapacity``: the queue and the writer's batch would each
    /// hold their largest size for good.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: bytes.capacity <= Self.keptCapacity)
        scratch.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        bodies.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        bodyBytes = 0
        count = 0
    }

    /// A queued line as the writer gets it back.
    enum Line {
        case event(CassetteEvent)
        /// A line rendered into the `RenderedFields` passed along; the
        /// exchange id's bytes are valid during the call only.
        case rendered(CassetteEvent.Kind, exchange: UnsafeBufferPointer<UInt8>, timeMicros: Int64)
    }

    /// Hands each line to `body`, in order, rendering its fields into
    /// `fields` (emptied first); `knownPart` vouches for parts of bodies
    /// (see ``RenderedFields/appendBody(_:knownPart:)``).
    func forEach(
        rendering fields: inout RenderedFields,
        knownPart: (UnsafeBufferPointer<UInt8>, Int) -> Int?,
        _ body: (Line, RenderedFields) throws(CassetteWriteError) -> Void
    ) throws(CassetteWriteError) {
        try bytes.withUnsafeBufferPointer { buffer throws(CassetteWriteError) in
            var reader = Reader(buffer: buffer, bodies: bodies)
            while reader.offset < buffer.count {
                switch reader.tag() {
                case .event:
                    try body(.event(events[Int(reader.word())]), fields)
                case .line:
                    let kind = Self.kinds[Int(reader.byte())]
                    let exchange = reader.text()
                    let time = Int64(bitPattern: reader.word())
                    fields.removeAll()
                    reader.replayFields(into: &fields, knownPart: knownPart)
                    try body(.rendered(kind, exchange: exchange, timeMicros: time), fields)
                case .clientEvents:
                    let queued = frames[Int(reader.word())]
                    let exchange = reader.text()
                    let time = Int64(bitPattern: reader.word())
                    var failure: CassetteWriteError?
                    queued.forEachFrame { frame in
                        guard failure == nil else { return }
                        fields.removeAll()
                        CassetteLine.writeClientEventFields(frame, to: &fields)
                        do throws(CassetteWriteError) {
                            try body(.rendered(.clientEvent, exchange: exchange, timeMicros: time), fields)
                        } catch {
                            failure = error
                        }
                    }
                    if let failure { throw failure }
                default:
                    preconditionFailure("QueuedLines: a line does not start where expected")
                }
            }
        }
    }

    fileprivate mutating func appendTag(_ tag: Tag) { bytes.append(tag.rawValue) }

    fileprivate mutating func appendWord(_ word: UInt64) {
        bytes.append(bitsOf: word)
    }

    fileprivate mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { appendBytes($0) }
    }

    fileprivate mutating func appendBytes(_ value: UnsafeBufferPointer<UInt8>) {
        appendWord(UInt64(value.count))
        bytes.append(value)
    }

    fileprivate mutating func appendKey(_ tag: Tag, _ key: StaticString) {
        appendTag(tag)
        // A StaticString is plain bits pointing at text that lives as long
        // as the program, so it is stored as it is.
        bytes.append(bitsOf: key)
    }

    /// Reads the queue back, from the one writer thread.
    private struct Reader {
        let buffer: UnsafeBufferPointer<UInt8>
        let bodies: [[UInt8]]
        var offset = 0

        mutating func byte() -> UInt8 {
            defer { offset += 1 }
            return buffer[offset]
        }

        mutating func tag() -> Tag {
            guard let tag = Tag(rawValue: byte()) else { preconditionFailure("QueuedLines: unknown tag") }
            return tag
        }

        mutating func word() -> UInt64 {
            defer { offset += 8 }
            return UnsafeRawBufferPointer(buffer).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        }

        mutating func text() -> UnsafeBufferPointer<UInt8> {
            let count = Int(word())
            defer { offset += count }
            return UnsafeBufferPointer(rebasing: buffer[offset..<offset + count])
        }

        mutating func key() -> StaticString {
            defer { offset += MemoryLayout<StaticString>.size }
            return UnsafeRawBufferPointer(buffer).loadUnaligned(fromByteOffset: offset, as: StaticString.self)
        }

        /// Replays one line's fields, up to its ``Tag/end``.
        mutating func replayFields(
            into fields: inout RenderedFields, knownPart: (UnsafeBufferPointer<UInt8>, Int) -> Int?
        ) {
            while true {
                switch tag() {
                case .end: return
                case .string: fields.append(key(), utf8: text())
                case .null: fields.appendNull(key())
                case .integer: fields.append(key(), Int64(bitPattern: word()))
                case .serialized: fields.append(key(), serialized: text())
                case .date: fields.append(key(), date: Date(timeIntervalSinceReferenceDate: Double(bitPattern: word())))
                case .body: fields.appendBody(bodies[Int(word())], knownPart: knownPart)
                case .chunk: fields.appendChunk(text())
                case .eventData: fields.appendEventData(text())
                case .event, .line, .clientEvents:
                    preconditionFailure("QueuedLines: a line's fields run into the next line")
                }
            }
        }
    }
}

/// Copies a line's field values into the queue.
extension QueuedLines: CassetteFieldWriter {
    mutating func append(_ key: StaticString, _ value: String) {
        appendKey(.string, key)
        appendText(value)
    }

    mutating func append(_ key: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
        appendKey(.string, key)
        appendBytes(value)
    }

    mutating func appendNull(_ key: StaticString) {
        appendKey(.null, key)
    }

    mutating func append(_ key: StaticString, _ value: Int64) {
        appendKey(.integer, key)
        appendWord(UInt64(bitPattern: value))
    }

    /// Serialized here, into the queue: the values are small (route
    /// options, usage).
    mutating func append(_ key: StaticString, _ value: JSONValue) {
        scratch.removeAll(keepingCapacity: true)
        value.write(to: &scratch)
        appendKey(.serialized, key)
        scratch.withUnsafeBufferPointer { appendBytes($0) }
    }

    mutating func append(_ key: StaticString, serialized json: [UInt8]) {
        appendKey(.serialized, key)
        json.withUnsafeBufferPointer { appendBytes($0) }
    }

    mutating func append(_ key: StaticString, date: Date) {
        appendKey(.date, key)
        appendWord(date.timeIntervalSinceReferenceDate.bitPattern)
    }

    /// By reference (see the type's comment).
    mutating func appendBody(_ body: [UInt8]) {
        appendTag(.body)
        appendWord(UInt64(bodies.count))
        bodies.append(body)
        bodyBytes += body.count
    }

    mutating func appendChunk(_ chunk: [UInt8]) {
        appendTag(.chunk)
        chunk.withUnsafeBufferPointer { appendBytes($0) }
    }

    mutating func appendEventData(_ data: UnsafeBufferPointer<UInt8>) {
        appendTag(.eventData)
        appendBytes(data)
    }
}
