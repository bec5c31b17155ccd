/// A pull-based server-sent events parser that accepts bytes split anywhere.
///
/// Feed it network chunks as they arrive; it returns each event as soon as
/// its terminating blank line is seen. Lines may end in LF, CRLF or CR, even
/// when a CRLF pair is split across two chunks, and a multi-byte UTF-8
/// character may be split too: bytes are only decoded once a line is whole.
/// It follows the WHATWG event-stream rules: comments (`:`) are skipped, a
/// single space after the colon is dropped, `data` lines join with `\n`, and
/// a frame with no `data` line dispatches nothing.
public struct SSEParser: Sendable, Equatable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var sawFirstLine = false
    private var eventName: String?
    private var dataLines: [String] = []
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
        if let events = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0) }) { return events }
        return Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
    }

    private mutating func parse(buffer: UnsafeBufferPointer<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
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
        var events: [SSEEvent] = []
        if !line.isEmpty { endLine(into: &events) }
        if hasFields { dispatch(into: &events) }
        return events
    }

    /// True when bytes of an unfinished line or frame are held.
    public var hasPendingData: Bool { !line.isEmpty || hasFields }

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if !sawFirstLine {
            sawFirstLine = true
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let name: String
        var value: String
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = String(decoding: line[..<colon], as: UTF8.self)
            var valueStart = line.index(after: colon)
            if valueStart < line.endIndex, line[valueStart] == 0x20 { valueStart += 1 }
            value = String(decoding: line[valueStart...], as: UTF8.self)
        } else {
            name = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch name {
        case "event":
            eventName = value
            hasFields = true
        case "data":
            dataLines.append(value)
            hasData = true
            hasFields = true
        case "id":
            if !value.utf8.contains(0) {
                id = value
                hasFields = true
            }
        case "retry":
            if let milliseconds = Int(value), milliseconds >= 0 {
                retry = milliseconds
                hasFields = true
            }
        default:
            value = ""
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            eventName = nil
            dataLines.removeAll(keepingCapacity: true)
            hasData = false
            retry = nil
            hasFields = false
        }
        guard hasData else { return }
        // Most frames have one data line: joining would copy it.
        let data = dataLines.count == 1 ? dataLines[0] : dataLines.joined(separator: "\n")
        events.append(SSEEvent(event: eventName, data: data, id: id, retry: retry))
    }
}
