/// gzip members made of stored (uncompressed) deflate blocks: real gzip,
/// which any inflater reads, built without a compressor.
enum GzipStored {
    /// `parts` as one gzip member, each part in its own block, so a stream
    /// can send each block as one chunk; the last element closes the member.
    static func blocks(_ parts: [[UInt8]]) -> [[UInt8]] {
        var out: [[UInt8]] = [[0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]]
        var whole: [UInt8] = []
        for part in parts {
            precondition(part.count < 65_536)
            let length = UInt16(part.count)
            out.append(
                [0, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)] + part)
            whole += part
        }
        out.append(
            [1, 0, 0, 0xFF, 0xFF] + littleEndian(crc32(whole)) + littleEndian(UInt32(truncatingIfNeeded: whole.count)))
        return out
    }

    /// `bytes` as one gzip member.
    static func member(_ bytes: [UInt8]) -> [UInt8] {
        blocks([bytes]).flatMap { $0 }
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
