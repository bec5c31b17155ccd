/// Where a cassette's text goes: compressed into one LZ4 frame
/// (``LZ4FrameSink``) or as plain JSON Lines (``PlainSink``).
protocol CassetteSink: AnyObject {
    var path: String { get }
    /// Bytes in the file so far (compressed bytes for LZ4).
    var bytesOnDisk: Int { get }
    /// Bytes accepted but not yet in the file, at their uncompressed size;
    /// with ``bytesOnDisk`` an upper bound of the size after the next flush.
    var pendingBytes: Int { get }
    func write(_ bytes: [UInt8]) throws(CassetteWriteError)
    /// Puts everything accepted so far in the file, as complete blocks.
    func flush() throws(CassetteWriteError)
    /// Flushes, ends the frame and closes the file.
    func finish() throws(CassetteWriteError)
}

/// Plain JSON Lines, buffered until a flush or 64 KiB.
final class PlainSink: CassetteSink {
    private let file: OutputFile
    private var buffer: [UInt8] = []
    private static let bufferLimit = 64 * 1024

    init(file: OutputFile) { self.file = file }

    var path: String { file.path }
    var bytesOnDisk: Int { file.size }
    var pendingBytes: Int { buffer.count }

    func write(_ bytes: [UInt8]) throws(CassetteWriteError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    func flush() throws(CassetteWriteError) {
        guard !buffer.isEmpty else { return }
        try file.write(buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws(CassetteWriteError) {
        try flush()
        try file.close()
    }
}
