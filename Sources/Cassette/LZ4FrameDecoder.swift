import CLZ4

/// Decodes LZ4 frames fed in pieces of any size, block by block, keeping
/// everything up to the last complete block of a file that was cut short.
///
/// The frame layout is walked here (header, block sizes, end mark) so only
/// whole blocks are handed to liblz4: a torn block is never half-decoded, and
/// the tail can be described exactly. Several frames in a row (files joined
/// with `cat`) and skippable frames are accepted. Input is held only until
/// its block is complete, so memory stays at about one block (64 KiB as the
/// proxy writes them, 4 MiB at most) whatever the file's size.
final class LZ4FrameDecoder {
    static let frameMagic: UInt32 = 0x184D_2204

    private struct FrameHeader {
        var length: Int
        var blockMaxSize: Int
        var hasBlockChecksum: Bool
        var hasContentChecksum: Bool
    }

    private enum Phase {
        /// At a frame boundary (or the file's start).
        case betweenFrames
        /// Inside a skippable frame that began at `start`; `remaining` bytes
        /// of it are still to come.
        case skipping(start: Int, remaining: Int)
        /// Inside a data frame, after `blocks` complete blocks.
        case inFrame(FrameHeader, blocks: Int)
        /// Decoding stopped for good; the description needs the file's
        /// total length, known only at ``finish()``. `unitEnd`: where the
        /// unit that failed ends (at most), when that is known: bytes past
        /// it mean the damage is inside the file, not a torn tail.
        case stopped(describe: (_ total: Int) -> String, unitEnd: Int?)
    }

    private var phase = Phase.betweenFrames
    /// Input not yet consumed, from `pending[cursor]`, which is byte
    /// `pendingStart + cursor` of the file.
    private var pending: [UInt8] = []
    private var cursor = 0
    private var pendingStart = 0
    private var frames = 0
    /// A byte past the end of the unit that failed was not zero. A crash
    /// (power lost, not `kill -9`) can leave a file's tail zero-filled past
    /// its last write: a failed unit followed by zeros only is that torn tail.
    private var nonZeroPastFailure = false
    private var context: OpaquePointer?
    private var scratch: [UInt8] = []
    private var blockOutput: [UInt8] = []

    init() {}

    deinit { freeContext() }

    /// Whether `bytes` begin with an LZ4 frame or skippable-frame magic
    /// number, or are a cut-short beginning of one.
    static func looksLikeLZ4(_ bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        // Compared with the magics the bytes could begin, as far as they go:
        // a reader fed three bytes of one waits for the fourth (once it did
        // only for a frame's, and told a skippable frame's start from a
        // whole file's differently: the fuzz target found it). A skippable
        // magic's low nibble is free: the first byte's says which one.
        let prefix = Array(bytes.prefix(4))
        return [frameMagic, skippableMagic | UInt32(first & 0x0F)].contains { magic in
            withUnsafeBytes(of: magic.littleEndian) { $0.starts(with: prefix) }
        }
    }

    /// Decodes a whole file at once: appends the decompressed content of
    /// every complete block to `content`. Returns nil when every frame
    /// ended properly, else a one-line description of what was left unread
    /// at the end.
    static func decode(_ bytes: [UInt8], into content: inout [UInt8]) -> String? {
        let decoder = LZ4FrameDecoder()
        decoder.decode(bytes[...], into: &content)
        return decoder.finish()
    }

    /// Takes the next piece of the file and appends the content of every
    /// block it completes to `content`.
    func decode(_ bytes: ArraySlice<UInt8>, into content: inout [UInt8]) {
        if case .stopped = phase {
            notePastFailure(bytes, from: pendingStart)
            pendingStart += bytes.count
            return
        }
        pending.append(contentsOf: bytes)
        advance(into: &content)
        if cursor > 0 {
            pending.removeFirst(cursor)
            pendingStart += cursor
            cursor = 0
        }
    }

    /// Called once the whole file was fed: nil when every frame ended
    /// properly, else what was left unread, as ``decode(_:into:)`` says.
    func finish() -> String? {
        let total = pendingStart + pending.count
        let position = pendingStart + cursor
        let available = pending.count - cursor
        switch phase {
        case .stopped(let describe, _):
            return describe(total)
        case .skipping(let start, _):
            return "a skippable LZ4 frame at byte \(start) is incomplete"
        case .betweenFrames:
            if available == 0 { return frames == 0 ? "the file holds no LZ4 frame" : nil }
            if available < 4 { return "\(available) bytes after byte \(position) are too short for an LZ4 frame" }
            if Self.isSkippable(word(at: cursor)) { return "a skippable LZ4 frame at byte \(position) is incomplete" }
            return "the LZ4 frame header at byte \(position) is incomplete"
        case .inFrame(_, let blocks):
            if available == 0 {
                return "the LZ4 frame has no end mark after \(blocks) complete blocks"
                    + " (the writer was killed or is still writing)"
            }
            if available >= 4 && word(at: cursor) == 0 {
                return "the end of the LZ4 frame at byte \(position) is incomplete"
            }
            return Self.incompleteBlock(at: position, of: total)
        }
    }

    /// Called once the whole file was fed: a description when a unit that
    /// failed its check (a block, a header, an end mark) has more of the
    /// file after it. A writer killed or a disk failing mid-write leaves
    /// its damage at the end, read as a torn tail (``finish()``); damage
    /// with data after it lost exchanges in the middle of the file, which
    /// a reader must not pass over as a file cut short.
    func damageInside() -> String? {
        let total = pendingStart + pending.count
        guard case .stopped(let describe, let unitEnd?) = phase, total > unitEnd, nonZeroPastFailure else {
            return nil
        }
        return describe(total) + ", and \(total - unitEnd) bytes follow it: the file is damaged, not cut short"
    }

    /// Consumes every whole unit (frame header, block, end mark, skippable
    /// frame) that `pending` holds.
    private func advance(into content: inout [UInt8]) {
        while true {
            let available = pending.count - cursor
            let position = pendingStart + cursor
            switch phase {
            case .stopped:
                notePastFailure(pending[...], from: pendingStart)
                cursor = pending.count
                return
            case .skipping(let start, let remaining):
                let taken = min(remaining, available)
                cursor += taken
                phase = taken == remaining ? .betweenFrames : .skipping(start: start, remaining: remaining - taken)
                if taken < remaining { return }
            case .betweenFrames:
                guard available >= 4 else { return }
                let magic = word(at: cursor)
                if Self.isSkippable(magic) {
                    guard available >= 8 else { return }
                    phase = .skipping(start: position, remaining: 8 + Int(word(at: cursor + 4)))
                    continue
                }
                guard magic == Self.frameMagic else {
                    // Damage if anything there is not zero (after a block
                    // whose size was garbled into an end mark, say); zeros
                    // are what a crash leaves past a file's last write.
                    phase = .stopped(
                        describe: { "\($0 - position) bytes after byte \(position) are not an LZ4 frame" },
                        unitEnd: position)
                    continue
                }
                guard available >= 7 else { return }
                guard let header = parseHeader(at: cursor) else {
                    phase = .stopped(
                        describe: { _ in "the LZ4 frame header at byte \(position) is invalid" },
                        unitEnd: position + 7)
                    continue
                }
                guard available >= header.length else { return }
                if let error = startFrame(header, at: cursor) {
                    phase = .stopped(
                        describe: { _ in "the LZ4 frame header at byte \(position) is invalid (\(error))" },
                        unitEnd: position + header.length)
                    continue
                }
                cursor += header.length
                phase = .inFrame(header, blocks: 0)
            case .inFrame(let header, let blocks):
                guard available >= 4 else { return }
                let blockWord = word(at: cursor)
                if blockWord == 0 {
                    let length = 4 + (header.hasContentChecksum ? 4 : 0)
                    guard available >= length else { return }
                    if let error = feed(cursor..<(cursor + length), into: &blockOutput) {
                        phase = .stopped(
                            describe: { _ in "the LZ4 frame ending at byte \(position) failed its check (\(error))" },
                            unitEnd: position + length)
                        continue
                    }
                    content.append(contentsOf: blockOutput)
                    cursor += length
                    freeContext()
                    frames += 1
                    phase = .betweenFrames
                    continue
                }
                let size = Int(blockWord & 0x7FFF_FFFF)
                guard size <= header.blockMaxSize else {
                    // Its extent is unknown: past the largest a block may be,
                    // more bytes are more than one torn block.
                    phase = .stopped(
                        describe: {
                            "the LZ4 block at byte \(position) has an invalid size; \($0 - position) bytes unread"
                        }, unitEnd: position + 4 + header.blockMaxSize + (header.hasBlockChecksum ? 4 : 0) + 8)
                    continue
                }
                let length = 4 + size + (header.hasBlockChecksum ? 4 : 0)
                guard available >= length else { return }
                if let error = feed(cursor..<(cursor + length), into: &blockOutput) {
                    phase = .stopped(
                        describe: {
                            "the LZ4 block at byte \(position) is damaged (\(error)); \($0 - position) bytes unread"
                        }, unitEnd: position + length)
                    continue
                }
                content.append(contentsOf: blockOutput)
                cursor += length
                phase = .inFrame(header, blocks: blocks + 1)
            }
        }
    }

    /// Notes whether `bytes`, which begin at byte `start` of the file, hold
    /// a byte other than zero past the failed unit's end.
    private func notePastFailure(_ bytes: ArraySlice<UInt8>, from start: Int) {
        guard !nonZeroPastFailure, case .stopped(_, let unitEnd?) = phase else { return }
        let skipped = max(0, unitEnd - start)
        guard skipped < bytes.count else { return }
        nonZeroPastFailure = bytes.dropFirst(skipped).contains { $0 != 0 }
    }

    private static func incompleteBlock(at position: Int, of total: Int) -> String {
        "\(total - position) bytes of an incomplete LZ4 block at byte \(position) were ignored"
            + " (the writer was killed mid-block or is still writing)"
    }

    /// The header at `pending[start...]` (at least 7 bytes there); nil when
    /// its flags are not an LZ4 frame's that this reader can decode.
    private func parseHeader(at start: Int) -> FrameHeader? {
        let flags = pending[start + 4]
        let blockDescriptor = pending[start + 5]
        let blockSizeID = Int((blockDescriptor >> 4) & 0x07)
        guard flags >> 6 == 1, flags & 0x02 == 0, blockDescriptor & 0x8F == 0, blockSizeID >= 4 else { return nil }
        return FrameHeader(
            length: 7 + (flags & 0x08 != 0 ? 8 : 0) + (flags & 0x01 != 0 ? 4 : 0),
            blockMaxSize: 1 << (8 + 2 * blockSizeID), hasBlockChecksum: flags & 0x10 != 0,
            hasContentChecksum: flags & 0x04 != 0)
    }

    /// A fresh decompression context fed the frame's header; liblz4's
    /// error name on failure.
    private func startFrame(_ header: FrameHeader, at start: Int) -> String? {
        freeContext()
        var created: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))) == 0, created != nil else {
            return "liblz4 could not create a decompression context"
        }
        context = created
        let size = max(256 * 1024, header.blockMaxSize)
        if scratch.count < size { scratch = [UInt8](repeating: 0, count: size) }
        return feed(start..<(start + header.length), into: &blockOutput)
    }

    private func freeContext() {
        if let context { LZ4F_freeDecompressionContext(context) }
        context = nil
    }

    /// Runs `range` of `pending` through the decompressor, replacing
    /// `output` with what comes out; returns liblz4's error name on failure.
    private func feed(_ range: Range<Int>, into output: inout [UInt8]) -> String? {
        output.removeAll(keepingCapacity: true)
        guard let context else { return "no decompression context" }
        return pending.withUnsafeBytes { source in
            var position = range.lowerBound
            while true {
                var consumed = range.upperBound - position
                var produced = scratch.count
                let status = scratch.withUnsafeMutableBytes { destination in
                    LZ4F_decompress(
                        context, destination.baseAddress, &produced, source.baseAddress! + position, &consumed, nil)
                }
                if LZ4F_isError(status) != 0 { return String(cString: LZ4F_getErrorName(status)) }
                output.append(contentsOf: scratch[0..<produced])
                position += consumed
                // A full scratch buffer may mean more output is waiting.
                if position >= range.upperBound && produced < scratch.count { return nil }
                if consumed == 0 && produced == 0 { return nil }
            }
        }
    }

    private func word(at offset: Int) -> UInt32 { Self.readLittleEndian32(pending, at: offset) }

    /// The skippable frames' magic numbers: this, with any low nibble.
    private static let skippableMagic: UInt32 = 0x184D_2A50

    private static func isSkippable(_ magic: UInt32) -> Bool { magic & 0xFFFF_FFF0 == skippableMagic }

    private static func readLittleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}
