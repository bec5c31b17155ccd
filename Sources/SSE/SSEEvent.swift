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
            var index = ByteSearch.lineEnd(in: bytes, from: 0)
            while index < bytes.count {
                let byte = bytes[index]
                Self.append("data: ", UnsafeBufferPointer(rebasing: bytes[lineStart..<index]), into: &output)
                index += 1
                if byte == 0x0D, index < bytes.count, bytes[index] == 0x0A { index += 1 }
                lineStart = index
                index = ByteSearch.lineEnd(in: bytes, from: index)
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
    /// `name` when it can stand on an `event:` line: nil when it holds a
    /// line break, which would end the line early and let whoever chose the
    /// name (an upstream, in a payload's `type`) add fields of its own to
    /// the stream.
    public static func lineSafeName(_ name: String?) -> String? {
        guard let name, !name.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
        return name
    }

    /// Whether `data` holds `word`'s bytes anywhere: a cheap test before
    /// parsing the data as JSON to look for a member. A byte scan, where
    /// `String.contains` compares characters (grapheme by grapheme) and
    /// costs tens of times more on the proxy's hot path.
    public func dataMentions(_ word: StaticString) -> Bool {
        var data = data
        return data.withUTF8 { ByteSearch.contains(word, in: $0) }
    }
}
