/// One server-sent event: the fields a dispatch carries.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` name; nil when the frame had none (the spec's "message").
    public var event: String?
    /// The `data:` lines joined by newlines.
    public var data: String
    /// The `id:` field, when present.
    public var id: String?
    /// The `retry:` field in milliseconds, when present and numeric.
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}

extension SSEEvent {
    /// The event as wire bytes: `event:`, `id:`, `retry:`, one `data:` line
    /// per line of data, then a blank line.
    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.utf8.count + 32)
        encode(into: &output)
        return output
    }

    /// Appends the wire bytes of this event to `output`.
    ///
    /// Strings are copied through their UTF-8 buffers: appending a
    /// `String.UTF8View` element by element showed as a fifth of a
    /// converted stream's cost.
    public func encode(into output: inout [UInt8]) {
        if var event {
            Self.append("event: ", &event, into: &output)
        }
        if var id {
            Self.append("id: ", &id, into: &output)
        }
        if let retry {
            output.append(contentsOf: "retry: \(retry)\n".utf8)
        }
        // A newline inside data must become a new data line, or the frame
        // would end early or carry a stray field.
        var data = data
        data.withUTF8 { bytes in
            var lineStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == 0x0A || byte == 0x0D else {
                    index += 1
                    continue
                }
                Self.append("data: ", UnsafeBufferPointer(rebasing: bytes[lineStart..<index]), into: &output)
                index += 1
                if byte == 0x0D, index < bytes.count, bytes[index] == 0x0A { index += 1 }
                lineStart = index
            }
            Self.append("data: ", UnsafeBufferPointer(rebasing: bytes[lineStart...]), into: &output)
        }
        output.append(0x0A)
    }

    /// `field`, the value's bytes, then a newline.
    private static func append(_ field: StaticString, _ value: inout String, into output: inout [UInt8]) {
        value.withUTF8 { append(field, $0, into: &output) }
    }

    private static func append(_ field: StaticString, _ value: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        field.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(contentsOf: value)
        output.append(0x0A)
    }
}

extension SSEEvent {
    /// Whether `data` holds `word`'s bytes anywhere: a cheap test before
    /// parsing the data as JSON to look for a member. A byte scan, where
    /// `String.contains` compares characters (grapheme by grapheme) and
    /// costs tens of times more on the proxy's hot path.
    public func dataMentions(_ word: StaticString) -> Bool {
        // withUTF8Buffer, not utf8Start: a one-character literal may be
        // stored as a scalar, with no pointer to its bytes.
        word.withUTF8Buffer { dataMentions($0) }
    }

    private func dataMentions(_ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        var data = data
        return data.withUTF8 { haystack in
            guard haystack.count >= needle.count else { return false }
            var start = 0
            let last = haystack.count - needle.count
            while start <= last {
                if haystack[start] == first, memoryEqual(haystack, at: start, needle) { return true }
                start += 1
            }
            return false
        }
    }
}

private func memoryEqual(
    _ haystack: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: UnsafeBufferPointer<UInt8>
)
    -> Bool
{
    for offset in 1..<needle.count where haystack[start + offset] != needle[offset] { return false }
    return true
}
