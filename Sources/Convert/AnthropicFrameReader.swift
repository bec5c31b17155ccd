import Wire

/// Reads the content frames of an Anthropic stream straight from their
/// bytes into pivot events, for a client of another dialect.
///
/// Anthropic writes `content_block_start` (text), `content_block_delta`
/// (text, thinking, tool input) and `content_block_stop` in one compact
/// shape, with members in one order, and they are most of a stream's frames.
/// Parsing each into a ``JSONValue`` tree first and reading the event from
/// the tree cost about 8 K instructions a frame; matching the constant text
/// around the index and the one string costs a tenth of that. A frame in any
/// other shape (spaces, members in another order or added, an escape the
/// string shortcut does not take) gets nil, and the caller reads it the
/// general way: a frame read here gives the event the general way gives.
enum AnthropicFrameReader {
    /// The event `data` holds, or nil when it is not in one of the shapes
    /// read here.
    /// - Parameter data: valid UTF-8, as an ``SSERawEvent``'s is.
    static func event(_ data: [UInt8]) -> AnthropicStreamEvent? {
        data.withUnsafeBufferPointer { event(in: $0) }
    }

    private static func event(in bytes: UnsafeBufferPointer<UInt8>) -> AnthropicStreamEvent? {
        var reader = Reader(bytes: bytes)
        if reader.skip(#"{"type":"content_block_delta","index":"#) {
            guard let index = reader.index() else { return nil }
            let delta: BlockDelta?
            if reader.skip(#","delta":{"type":"text_delta","text":"#) {
                delta = reader.lastString().map(BlockDelta.text)
            } else if reader.skip(#","delta":{"type":"input_json_delta","partial_json":"#) {
                delta = reader.lastString().map(BlockDelta.inputJSON)
            } else if reader.skip(#","delta":{"type":"thinking_delta","thinking":"#) {
                delta = reader.lastString().map(BlockDelta.thinking)
            } else {
                delta = nil
            }
            return delta.map { .contentBlockDelta(index: index, delta: $0) }
        }
        if reader.skip(#"{"type":"content_block_stop","index":"#) {
            guard let index = reader.index(), reader.skip("}"), reader.atEnd else { return nil }
            return .contentBlockStop(index: index)
        }
        if reader.skip(#"{"type":"content_block_start","index":"#) {
            guard let index = reader.index(), reader.skip(#","content_block":{"type":"text","text":"#),
                let text = reader.lastString()
            else { return nil }
            return .contentBlockStart(index: index, block: .text(text))
        }
        return nil
    }

    /// A cursor over a frame's bytes.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == bytes.count }

        /// Moves past `text` if the bytes continue with it. Compared eight
        /// bytes at a time: byte by byte, the few prefixes of each frame cost
        /// more than the rest of reading it.
        mutating func skip(_ text: StaticString) -> Bool {
            guard let start = bytes.baseAddress else { return false }
            let here = UnsafeRawPointer(start + position)
            // Counted in withUTF8Buffer, not utf8CodeUnitCount: a one-character literal may be stored as a scalar.
            let count = text.withUTF8Buffer { $0.count }
            guard count > 0, bytes.count - position >= count else { return false }
            let matches = text.withUTF8Buffer { expected in
                let wanted = UnsafeRawPointer(expected.baseAddress!)
                var offset = 0
                while offset + 8 <= count {
                    guard
                        here.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                            == wanted.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    else { return false }
                    offset += 8
                }
                while offset < count {
                    guard here.load(fromByteOffset: offset, as: UInt8.self) == expected[offset] else { return false }
                    offset += 1
                }
                return true
            }
            if matches { position += count }
            return matches
        }

        /// A block index as JSON writes it: digits, no leading zero (which
        /// JSON does not allow), few enough not to overflow.
        mutating func index() -> Int? {
            var value = 0
            let start = position
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                // Counted before adding: twenty digits would overflow (the fuzz target found it).
                guard position - start < 9 else { return nil }
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            let digits = position - start
            guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            return value
        }

        /// The string that ends the frame: its JSON literal, then `}}` and
        /// nothing after. A literal with no escape and only printable ASCII
        /// is its own text; any other goes through the JSON parser, which
        /// decodes escapes and refuses what is not valid.
        mutating func lastString() -> String? {
            let end = bytes.count - 2
            guard end - position >= 2, bytes[end] == UInt8(ascii: "}"), bytes[end + 1] == UInt8(ascii: "}"),
                bytes[position] == UInt8(ascii: "\""), bytes[end - 1] == UInt8(ascii: "\"")
            else { return nil }
            let literal = UnsafeBufferPointer(rebasing: bytes[position..<end])
            let inner = UnsafeBufferPointer(rebasing: literal.dropFirst().dropLast())
            if !inner.contains(where: {
                $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 < 0x20 || $0 >= 0x80
            }) {
                return String(decoding: inner, as: UTF8.self)
            }
            guard case .string(let text)? = try? JSONValue(parsing: literal) else { return nil }
            return text
        }
    }
}
