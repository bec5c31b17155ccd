import CLZ4

/// Decodes LZ4 frames block by block, keeping everything up to the last
/// complete block of a file that was cut short.
///
/// The frame layout is walked here (header, block sizes, end mark) so only
/// whole blocks are handed to liblz4: a torn block is never half-decoded, and
/// the tail can be described exactly. Several frames in a row (files joined
/// with `cat`) and skippable frames are accepted.
enum LZ4FrameDecoder {
    static let frameMagic: UInt32 = 0x184D_2204

    /// Whether `bytes` begin with an LZ4 frame or skippable-frame magic
    /// number, or are a cut-short beginning of one.
    static func looksLikeLZ4(_ bytes: [UInt8]) -> Bool {
        let magicBytes: [UInt8] = [0x04, 0x22, 0x4D, 0x18]
        if bytes.count < 4 { return !bytes.isEmpty && magicBytes.starts(with: bytes) }
        let magic = readLittleEndian32(bytes, at: 0)
        return magic == frameMagic || isSkippable(magic)
    }

    /// Appends the decompressed content of every complete block to
    /// `content`. Returns nil when every frame ended properly, else a
    /// one-line description of what was left unread at the end.
    static func decode(_ bytes: [UInt8], into content: inout [UInt8]) -> String? {
        var offset = 0
        var frames = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else {
                return "\(bytes.count - offset) bytes after byte \(offset) are too short for an LZ4 frame"
            }
            let magic = readLittleEndian32(bytes, at: offset)
            if isSkippable(magic) {
                guard bytes.count - offset >= 8 else { return "a skippable LZ4 frame at byte \(offset) is incomplete" }
                let end = offset + 8 + Int(readLittleEndian32(bytes, at: offset + 4))
                guard end <= bytes.count else { return "a skippable LZ4 frame at byte \(offset) is incomplete" }
                offset = end
                continue
            }
            guard magic == frameMagic else {
                return "\(bytes.count - offset) bytes after byte \(offset) are not an LZ4 frame"
            }
            switch decodeFrame(bytes, at: offset, into: &content) {
            case .ended(let end):
                offset = end
                frames += 1
            case .torn(let description):
                return description
            }
        }
        return frames == 0 ? "the file holds no LZ4 frame" : nil
    }

    private enum FrameOutcome {
        case ended(at: Int)
        case torn(String)
    }

    private struct FrameHeader {
        var length: Int
        var blockMaxSize: Int
        var hasBlockChecksum: Bool
        var hasContentChecksum: Bool
    }

    private static func decodeFrame(_ bytes: [UInt8], at start: Int, into content: inout [UInt8]) -> FrameOutcome {
        let header: FrameHeader
        switch parseHeader(bytes, at: start) {
        case .success(let parsed): header = parsed
        case .failure(let problem): return .torn(problem.description)
        }
        var created: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))) == 0, let context = created
        else { return .torn("liblz4 could not create a decompression context") }
        defer { LZ4F_freeDecompressionContext(context) }

        var scratch = [UInt8](repeating: 0, count: max(256 * 1024, header.blockMaxSize))
        if let error = feed(context, bytes, start..<(start + header.length), &scratch, into: &content) {
            return .torn("the LZ4 frame header at byte \(start) is invalid (\(error))")
        }
        var position = start + header.length
        var blocks = 0
        while true {
            guard bytes.count - position >= 4 else {
                if position == bytes.count {
                    return .torn(
                        "the LZ4 frame has no end mark after \(blocks) complete blocks"
                            + " (the writer was killed or is still writing)")
                }
                return .torn(incompleteBlock(at: position, of: bytes.count))
            }
            let word = readLittleEndian32(bytes, at: position)
            if word == 0 {
                let end = position + 4 + (header.hasContentChecksum ? 4 : 0)
                guard end <= bytes.count else {
                    return .torn("the end of the LZ4 frame at byte \(position) is incomplete")
                }
                if let error = feed(context, bytes, position..<end, &scratch, into: &content) {
                    return .torn("the LZ4 frame ending at byte \(position) failed its check (\(error))")
                }
                return .ended(at: end)
            }
            let size = Int(word & 0x7FFF_FFFF)
            guard size <= header.blockMaxSize else {
                return .torn(
                    "the LZ4 block at byte \(position) has an invalid size; \(bytes.count - position) bytes unread")
            }
            let end = position + 4 + size + (header.hasBlockChecksum ? 4 : 0)
            guard end <= bytes.count else { return .torn(incompleteBlock(at: position, of: bytes.count)) }
            let contentBefore = content.count
            if let error = feed(context, bytes, position..<end, &scratch, into: &content) {
                content.removeSubrange(contentBefore...)
                return .torn(
                    "the LZ4 block at byte \(position) is damaged (\(error)); \(bytes.count - position) bytes unread")
            }
            position = end
            blocks += 1
        }
    }

    private static func incompleteBlock(at position: Int, of total: Int) -> String {
        "\(total - position) bytes of an incomplete LZ4 block at byte \(position) were ignored"
            + " (the writer was killed mid-block or is still writing)"
    }

    private struct HeaderProblem: Error {
        var description: String
    }

    private static func parseHeader(_ bytes: [UInt8], at start: Int) -> Result<FrameHeader, HeaderProblem> {
        guard bytes.count - start >= 7 else {
            return .failure(HeaderProblem(description: "the LZ4 frame header at byte \(start) is incomplete"))
        }
        let flags = bytes[start + 4]
        let blockDescriptor = bytes[start + 5]
        let blockSizeID = Int((blockDescriptor >> 4) & 0x07)
        guard flags >> 6 == 1, flags & 0x02 == 0, blockDescriptor & 0x8F == 0, blockSizeID >= 4 else {
            return .failure(HeaderProblem(description: "the LZ4 frame header at byte \(start) is invalid"))
        }
        let length = 7 + (flags & 0x08 != 0 ? 8 : 0) + (flags & 0x01 != 0 ? 4 : 0)
        guard bytes.count - start >= length else {
            return .failure(HeaderProblem(description: "the LZ4 frame header at byte \(start) is incomplete"))
        }
        return .success(
            FrameHeader(
                length: length, blockMaxSize: 1 << (8 + 2 * blockSizeID), hasBlockChecksum: flags & 0x10 != 0,
                hasContentChecksum: flags & 0x04 != 0))
    }

    /// Runs `range` of `bytes` through the decompressor, appending what
    /// comes out; returns liblz4's error name on failure.
    private static func feed(
        _ context: OpaquePointer, _ bytes: [UInt8], _ range: Range<Int>, _ scratch: inout [UInt8],
        into content: inout [UInt8]
    ) -> String? {
        bytes.withUnsafeBytes { source in
            var position = range.lowerBound
            while true {
                var consumed = range.upperBound - position
                var produced = scratch.count
                let status = scratch.withUnsafeMutableBytes { destination in
                    LZ4F_decompress(
                        context, destination.baseAddress, &produced, source.baseAddress! + position, &consumed, nil)
                }
                if LZ4F_isError(status) != 0 { return String(cString: LZ4F_getErrorName(status)) }
                content.append(contentsOf: scratch[0..<produced])
                position += consumed
                // A full scratch buffer may mean more output is waiting.
                if position >= range.upperBound && produced < scratch.count { return nil }
                if consumed == 0 && produced == 0 { return nil }
            }
        }
    }

    private static func isSkippable(_ magic: UInt32) -> Bool { magic & 0xFFFF_FFF0 == 0x184D_2A50 }

    private static func readLittleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}
