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
    public func encode(into output: inout [UInt8]) {
        if let event {
            output.append(contentsOf: "event: ".utf8)
            output.append(contentsOf: event.utf8)
            output.append(0x0A)
        }
        if let id {
            output.append(contentsOf: "id: ".utf8)
            output.append(contentsOf: id.utf8)
            output.append(0x0A)
        }
        if let retry {
            output.append(contentsOf: "retry: \(retry)\n".utf8)
        }
        // A newline inside data must become a new data line, or the frame
        // would end early or carry a stray field.
        var lineStart = data.utf8.startIndex
        let utf8 = data.utf8
        var index = lineStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A || byte == 0x0D {
                output.append(contentsOf: "data: ".utf8)
                output.append(contentsOf: utf8[lineStart..<index])
                output.append(0x0A)
                var next = utf8.index(after: index)
                if byte == 0x0D, next != utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
                lineStart = next
                index = next
            } else {
                index = utf8.index(after: index)
            }
        }
        output.append(contentsOf: "data: ".utf8)
        output.append(contentsOf: utf8[lineStart..<utf8.endIndex])
        output.append(contentsOf: [0x0A, 0x0A])
    }
}
