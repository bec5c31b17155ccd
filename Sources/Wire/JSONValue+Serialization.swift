extension JSONValue {
    /// Compact JSON (no spaces), keys in their stored order, non-ASCII kept
    /// as UTF-8 and only the characters JSON requires escaped; the form the
    /// providers themselves send.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        write(to: &output)
        return output
    }

    /// ``serialized()`` as a string.
    public func serializedString() -> String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// Appends the compact JSON text of this value to `output`.
    public func write(to output: inout [UInt8]) {
        switch self {
        case .null: Self.writeVerbatim("null", to: &output)
        case .bool(let b): Self.writeVerbatim(b ? "true" : "false", to: &output)
        case .int(let i): Self.writeInteger(i, to: &output)
        case .double(let d): Self.writeDouble(d, to: &output)
        case .string(let s): Self.writeString(s, to: &output)
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeDouble(_ value: Double, to output: inout [UInt8]) {
        // JSON has no NaN or infinity.
        guard value.isFinite else {
            writeVerbatim("null", to: &output)
            return
        }
        output.append(contentsOf: value.description.utf8)
    }

    /// Appends `value` in decimal, as JSON writes an integer, without making
    /// a `String` first (every cassette line has a time).
    public static func writeInteger(_ value: Int64, to output: inout [UInt8]) {
        ScratchText.append(to: &output, capacity: ScratchText.integerCapacity) { $0.write(integer: value) }
    }

    /// Whether `bytes` go into a JSON string literal as they are: no quote,
    /// backslash or control character to escape.
    public static func needsNoEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        PlainByteRun.end(in: bytes, from: 0, nonASCII: true) == bytes.count
    }

    /// Writes `string` as a JSON string literal.
    ///
    /// Runs of bytes that need no escape are appended whole: cassettes hold
    /// 50 KB prompts, and per-byte appends dominated the writer's time.
    public static func writeString(_ string: String, to output: inout [UInt8]) {
        var string = string
        string.withUTF8 { writeEscaped($0, to: &output) }
    }

    /// Appends `text`, JSON text spelled in the source (`,"body":`), as it
    /// is: twice as fast as appending a `String`'s UTF-8 view, which showed
    /// in the cassette writer's profile at a few of these per line.
    public static func writeVerbatim(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// Writes `bytes` as a JSON string literal without checking that they
    /// are UTF-8: they must be (the bytes of a `String` are), or the JSON
    /// written is not valid. For text copied out of a `String` earlier.
    public static func writeString(validUTF8 bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        writeEscaped(bytes, to: &output)
    }

    /// Writes UTF-8 `bytes` as a JSON string literal, as ``writeString(_:to:)``
    /// writes the same text, without making a `String` first; false (and
    /// nothing written) when the bytes are not valid UTF-8.
    public static func writeString(utf8 bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
        guard UTF8Validation.isValid(bytes) else { return false }
        writeEscaped(bytes, to: &output)
        return true
    }

    private static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else {
            writeVerbatim(#""""#, to: &output)
            return
        }
        // Two passes: measure, then write through a pointer into scratch
        // space, appended whole. Both go sixteen bytes at a time: SSE chunk
        // text (JSON inside) has a quote every few bytes, and finding each
        // run's end, then copying it, cost ~80 instructions an escape.
        let count = bytes.count
        let raw = UnsafeRawPointer(source)
        var length = count + 2
        var index = 0
        while index + 16 <= count {
            let block = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            let special = PlainByteRun.specialLanes(block, nonASCII: true)
            if special.low | special.high != 0 {
                // A lane is 0xFF: eight bits. Each escape adds its
                // backslash; a control character with no short escape four
                // more (`\u00XX`).
                length += (special.low.nonzeroBitCount + special.high.nonzeroBitCount) >> 3
                let long = longEscapeLanes(block)
                length += (long.low.nonzeroBitCount + long.high.nonzeroBitCount) >> 1
            }
            index += 16
        }
        while index < count {
            if !PlainByteRun.isPlain(source[index], nonASCII: true) { length += escapeLength(source[index]) - 1 }
            index += 1
        }
        if length == count + 2 {
            // Nothing to escape (ids, kinds, most header values). No
            // reserveCapacity: it grows to the exact size asked, so calling
            // it per string would copy a long output once per string.
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return
        }
        // A block is stored whole before its first escape overwrites the
        // rest, which the next block, loaded from just after the escaped
        // byte, stores again. A store stays inside the text: its sixteen
        // input bytes are still to be written, each as one byte or more.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { buffer in
            var out = buffer.baseAddress!
            out.pointee = UInt8(ascii: "\"")
            out += 1
            var index = 0
            while index + 16 <= count {
                let block = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(out).storeBytes(of: block, as: SIMD16<UInt8>.self)
                guard let lane = PlainByteRun.firstSpecialLane(block, nonASCII: true) else {
                    out += 16
                    index += 16
                    continue
                }
                out = writeEscape(of: source[index + lane], at: out + lane)
                index += lane + 1
            }
            while index < count {
                let byte = source[index]
                if PlainByteRun.isPlain(byte, nonASCII: true) {
                    out.pointee = byte
                    out += 1
                } else {
                    out = writeEscape(of: byte, at: out)
                }
                index += 1
            }
            out.pointee = UInt8(ascii: "\"")
            assert(out == buffer.baseAddress! + length - 1, "the two passes disagree on the escaped length")
            output.append(contentsOf: UnsafeBufferPointer(buffer))
        }
    }

    /// The lanes of `block` holding a control character with no two-byte
    /// escape (all but `\n`, `\r`, `\t`, `\b`, `\f`), 0xFF each, as two words.
    /// (Every vector spelled with its type: an inferred `SIMD16(repeating:)`
    /// was built lane by lane at run time, ~25 K instructions a chunk.)
    @inline(__always)
    private static func longEscapeLanes(_ block: SIMD16<UInt8>) -> (low: UInt64, high: UInt64) {
        let short =
            (block .== SIMD16<UInt8>(repeating: 0x0A)) .| (block .== SIMD16<UInt8>(repeating: 0x0D))
            .| (block .== SIMD16<UInt8>(repeating: 0x09)) .| (block .== SIMD16<UInt8>(repeating: 0x08))
            .| (block .== SIMD16<UInt8>(repeating: 0x0C))
        let words = unsafeBitCast((block .< SIMD16<UInt8>(repeating: 0x20)) .& .!short, to: SIMD2<UInt64>.self)
        return (words[0], words[1])
    }

    /// The letter of `byte`'s two-byte escape (`\n`, `\"`, ...); nil when it
    /// takes the six-byte `\u00XX` form. The one table both passes read.
    @inline(__always)
    private static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        default: nil
        }
    }

    /// How many bytes ``writeEscape(of:at:)`` writes for `byte`.
    @inline(__always)
    private static func escapeLength(_ byte: UInt8) -> Int {
        shortEscape(byte) == nil ? 6 : 2
    }

    /// Writes the escape of `byte` (a control character, `"` or `\`) at
    /// `out`; returns the position after it.
    @inline(__always)
    private static func writeEscape(of byte: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
    {
        out[0] = UInt8(ascii: "\\")
        if let short = shortEscape(byte) {
            out[1] = short
            return out + 2
        }
        out[1] = UInt8(ascii: "u")
        out[2] = UInt8(ascii: "0")
        out[3] = UInt8(ascii: "0")
        out[4] = HexDigits.lowercase[Int(byte >> 4)]
        out[5] = HexDigits.lowercase[Int(byte & 0x0F)]
        return out + 6
    }
}
