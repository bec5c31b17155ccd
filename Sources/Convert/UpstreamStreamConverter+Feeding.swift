import SSE
import Wire

// How one upstream event reaches a payload transcoder, and the error for
// data that is no JSON: stateless, kept apart from the converter's state
// machine.
extension UpstreamStreamConverter {
    static func feed(
        _ event: SSERawEvent, to machine: inout some UpstreamPayloadTranscoder, upstreamName: String
    ) -> [AnthropicStreamEvent] {
        // Nearly every chunk is a JSON object with nothing around it: read
        // from its bytes, with no text made of them (by the transcoder
        // itself where it reads that shape, else as a tree). Anything else (`[DONE]`,
        // spaces around, JSON cut short) is read as text, below; an object
        // that does not parse gets there too and fails or is repaired there.
        if event.data.first == UInt8(ascii: "{"), event.data.last == UInt8(ascii: "}") {
            if let events = machine.receive(data: event.data, eventName: event.event) { return events }
            if let chunk = try? JSONValue(parsing: event.data) {
                return machine.receive(payload: chunk, eventName: event.event)
            }
        }
        let data = String(decoding: event.data, as: UTF8.self).trimmingWhitespace()
        if data.isEmpty { return [] }
        if data == "[DONE]" { return machine.receiveDone() }
        guard let chunk = (try? JSONValue(parsing: data.utf8)) ?? TruncatedJSONRepair.parse(data) else {
            return machine.fail(invalidJSON(data, upstreamName: upstreamName))
        }
        return machine.receive(payload: chunk, eventName: event.event)
    }

    /// Whether an event's data is whole: `[DONE]` or a JSON value. Asked
    /// of the last event, when it had no blank line after it, and of a
    /// passed-through frame that was not parsed.
    static func isWholeEventData(_ data: [UInt8]) -> Bool {
        data.elementsEqual("[DONE]".utf8) || JSONReader.isOneValue(data)
    }

    /// The error for a stream frame whose data is not JSON, quoting its start.
    static func invalidJSON(_ data: some StringProtocol, upstreamName: String) -> APIError {
        APIError(
            status: 502, type: "api_error",
            message: "upstream \(upstreamName) sent invalid JSON in its stream: \(String(data.prefix(200)))")
    }
}

extension String {
    /// The text without the whitespace around it.
    func trimmingWhitespace() -> Substring {
        // Nearly every frame's data starts and ends with ASCII that is not
        // whitespace (`{`...`}`): then nothing is trimmed, and the
        // Character-by-Character search (Unicode properties, ~1.6 K
        // instructions a frame) is skipped. Exact: such a byte begins or
        // ends a Character that is not whitespace.
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
            !Self.isASCIIWhitespace(first), !Self.isASCIIWhitespace(last)
        {
            return self[...]
        }
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte)
    }
}
