import Wire

/// A pull-based server-sent events parser that accepts bytes split anywhere.
///
/// Feed it network chunks as they arrive; it returns each event as soon as
/// its terminating blank line is seen. Lines may end in LF, CRLF or CR, even
/// when a CRLF pair is split across two chunks, and a multi-byte UTF-8
/// character may be split too: bytes are only decoded once a line is whole.
/// It follows the WHATWG event-stream rules: comments (`:`) are skipped, a
/// single space after the colon is dropped, `data` lines join with `\n`, and
/// a frame with no `data` line dispatches nothing.
///
/// Field names are matched and data lines joined as bytes: only an event's
/// name and, for ``parse(_:)``, its data become text.
public struct SSEParser: Sendable, Equatable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var sawFirstLine = false
    private var eventName: String?
    /// The data lines so far, joined by line feeds.
    private var data: [UInt8] = []
    private var hasData = false
    private var id: String?
    private var retry: Int?
    private var hasFields = false

    public init() {}

    /// Consumes `bytes` and returns the events they complete.
    ///
    /// Contiguous bytes (an array, a NIO buffer's view, a string's UTF-8)
    /// are read through one pointer: a generic per-byte loop is not
    /// specialized across modules and paid a protocol witness call per byte.
    public mutating func parse(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        parseRaw(bytes).map(\.decoded)
    }

    /// Consumes `bytes` and returns the events they complete, their data
    /// still bytes.
    public mutating func parseRaw(_ bytes: some Sequence<UInt8>) -> [SSERawEvent] {
        if let events = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0) }) { return events }
        return Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
    }

    private mutating func parse(buffer: UnsafeBufferPointer<UInt8>) -> [SSERawEvent] {
        var events: [SSERawEvent] = []
        var start = 0
        while start < buffer.count {
            if lastWasCR {
                lastWasCR = false
                if buffer[start] == 0x0A {
                    start += 1
                    continue
                }
            }
            let end = ByteSearch.lineEnd(in: buffer, from: start)
            if end > start { line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end])) }
            guard end < buffer.count else { break }
            lastWasCR = buffer[end] == 0x0D
            endLine(into: &events)
            start = end + 1
        }
        return events
    }

    /// Ends the stream: a final frame with no trailing blank line is still
    /// dispatched, since some upstreams close right after the last data line.
    public mutating func finish() -> [SSEEvent] {
        finishRaw().map(\.decoded)
    }

    /// ``finish()``, the event's data still bytes.
    public mutating func finishRaw() -> [SSERawEvent] {
        var events: [SSERawEvent] = []
        if !line.isEmpty { endLine(into: &events) }
        if hasFields { dispatch(into: &events) }
        return events
    }

    /// True when bytes of an unfinished line or frame are held.
    public var hasPendingData: Bool { !line.isEmpty || hasFields }

    /// Whether a line that is not blank (a comment, a field, a line no
    /// field names) has ended since the last event was dispatched: what
    /// came after that event made no event of its own. A relay that must
    /// scrub whatever follows a stream's last event asks it.
    public private(set) var hasLinesSinceLastEvent = false

    private mutating func endLine(into events: inout [SSERawEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if !sawFirstLine {
            sawFirstLine = true
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        hasLinesSinceLastEvent = true
        if line[0] == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.count
        var valueStart = min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        let value = line[valueStart...]
        switch Self.fieldName(line, before: colon) {
        case Self.data:
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
            hasFields = true
        case Self.event:
            eventName = String(decoding: value, as: UTF8.self)
            hasFields = true
        case Self.id:
            if !value.contains(0) {
                id = String(decoding: value, as: UTF8.self)
                hasFields = true
            }
        case Self.retry:
            // Only ASCII digits, as the standard says: `+5` or `-0` is ignored.
            if !value.isEmpty, value.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
                let milliseconds = Int(String(decoding: value, as: UTF8.self))
            {
                retry = milliseconds
                hasFields = true
            }
        default:
            break
        }
    }

    /// A field name of one to five bytes as one number, its length in the
    /// top byte and its bytes below, the first lowest; 0 for any other
    /// name. The four names the parser knows are compared as numbers: a
    /// byte-by-byte compare with each cost ~100 instructions a line.
    private static func fieldName(_ line: [UInt8], before colon: Int) -> UInt64 {
        guard (1...5).contains(colon) else { return 0 }
        var name = UInt64(colon) << 56
        for index in 0..<colon { name |= UInt64(line[index]) << (8 * index) }
        return name
    }

    private static func fieldName(_ name: StaticString) -> UInt64 {
        name.withUTF8Buffer { fieldName(Array($0), before: $0.count) }
    }

    private static let data = fieldName("data")
    private static let event = fieldName("event")
    private static let id = fieldName("id")
    private static let retry = fieldName("retry")

    private mutating func dispatch(into events: inout [SSERawEvent]) {
        defer {
            eventName = nil
            data.removeAll(keepingCapacity: true)
            hasData = false
            retry = nil
            hasFields = false
        }
        guard hasData else { return }
        // Copied out at its size (the buffer keeps its room for the next
        // event), and repaired here, once, as a client's parser reads it:
        // whoever reads the bytes can take them as text.
        let text = data.withUnsafeBufferPointer { data in
            UTF8Validation.isValid(data) ? Array(data) : Array(String(decoding: data, as: UTF8.self).utf8)
        }
        // A chunk often completes several events: room for a few at once.
        if events.capacity == 0 { events.reserveCapacity(4) }
        events.append(SSERawEvent(event: eventName, data: text, id: id, retry: retry))
        hasLinesSinceLastEvent = false
    }
}
