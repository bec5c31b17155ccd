import CLZ4

/// Compresses a cassette into one standard LZ4 frame with liblz4's LZ4F API.
///
/// Frame settings, and why:
/// - 64 KiB blocks, linked: the writer flushes small blocks often (every
///   exchange end and every ~100 ms), and linked blocks let each one refer
///   back to the previous 64 KiB, which keeps the ratio of small blocks close
///   to that of big ones. A reader still decodes every complete block.
/// - Block checksums on: a torn or garbled last block is detected and
///   reported instead of being decoded into garbage.
/// - No content checksum: it hashed every byte of text again (XXH32,
///   ~11 K instructions a streamed exchange, 7% of what recording costs),
///   and the block checksums already catch any stored byte damaged
///   (`lz4 -t` and the reader report the block). What it alone would catch,
///   a whole block missing from the middle of an append-only file, is not
///   how cassettes break; frames written with one still read.
final class LZ4FrameSink: CassetteSink {
    static let blockSize = 64 * 1024

    private let file: OutputFile
    private let context: OpaquePointer
    private var preferences: LZ4F_preferences_t
    private var output: [UInt8]
    private var finished = false
    private(set) var pendingBytes = 0

    init(file: OutputFile) throws(CassetteWriteError) {
        self.file = file
        var created: OpaquePointer?
        let status = LZ4F_createCompressionContext(&created, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0, let created else {
            throw CassetteWriteError(path: file.path, reason: "LZ4 context: \(Self.errorName(status))")
        }
        context = created
        preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockLinked
        preferences.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum
        preferences.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled
        let capacity = LZ4F_compressBound(Self.blockSize, &preferences)
        output = [UInt8](repeating: 0, count: max(capacity, Int(LZ4F_HEADER_SIZE_MAX)))
        let headerSize = output.withUnsafeMutableBytes { buffer in
            LZ4F_compressBegin(context, buffer.baseAddress, buffer.count, &preferences)
        }
        try check(headerSize, "LZ4 frame header")
        try writeOutput(headerSize)
    }

    deinit { LZ4F_freeCompressionContext(context) }

    var path: String { file.path }
    var bytesOnDisk: Int { file.size }

    func write(_ bytes: [UInt8]) throws(CassetteWriteError) {
        var start = 0
        // compressBound was sized for one block of input, so feed at most that.
        while start < bytes.count {
            let count = min(Self.blockSize, bytes.count - start)
            let produced = bytes.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { destination in
                    LZ4F_compressUpdate(
                        context, destination.baseAddress, destination.count, source.baseAddress! + start, count, nil)
                }
            }
            try check(produced, "LZ4 compression")
            try writeOutput(produced)
            // With autoFlush off, LZ4F keeps less than one block buffered
            // and compresses each block as it fills.
            pendingBytes = (pendingBytes + count) % Self.blockSize
            start += count
        }
    }

    /// Emits whatever LZ4F holds as a complete block (nothing when it holds
    /// nothing), so a reader can decode every line written so far.
    func flush() throws(CassetteWriteError) {
        let produced = output.withUnsafeMutableBytes { destination in
            LZ4F_flush(context, destination.baseAddress, destination.count, nil)
        }
        try check(produced, "LZ4 flush")
        try writeOutput(produced)
        pendingBytes = 0
    }

    func finish() throws(CassetteWriteError) {
        guard !finished else { return }
        finished = true
        let produced = output.withUnsafeMutableBytes { destination in
            LZ4F_compressEnd(context, destination.baseAddress, destination.count, nil)
        }
        try check(produced, "LZ4 frame end")
        try writeOutput(produced)
        pendingBytes = 0
        try file.close()
    }

    private func writeOutput(_ count: Int) throws(CassetteWriteError) {
        guard count > 0 else { return }
        try file.write(output[0..<count])
    }

    private func check(_ status: Int, _ step: String) throws(CassetteWriteError) {
        if LZ4F_isError(status) != 0 {
            throw CassetteWriteError(path: file.path, reason: "\(step) failed: \(Self.errorName(status))")
        }
    }

    static func errorName(_ status: Int) -> String {
        String(cString: LZ4F_getErrorName(status))
    }
}
