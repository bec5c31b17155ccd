import Foundation
import Wire

/// The `blob` lines a reader has met so far in one file (see
/// ``CassetteBlobs``), kept so later references can be put back.
///
/// A reference may come any number of lines after its blob, so every blob
/// must be kept to the end of the file; the writer stops adding blobs at
/// ``CassetteBlobs/maximumStoredBytes`` of them. The first
/// ``memoryBudget`` bytes are kept parsed in memory; the rest go to an
/// unlinked temporary file and are read back and parsed when referenced,
/// so a long session's blobs do not decide the reader's memory. The last
/// ``recentBudget`` bytes of spilled blobs also stay parsed: a blob is most
/// often referenced by the lines right after it (the client's request and
/// the one sent upstream).
final class CassetteBlobStore {
    /// Bytes of blob lines kept in memory before they go to the spill file.
    static let memoryBudget = 4 << 20
    /// Bytes of the most recently spilled blobs kept parsed as well.
    static let recentBudget = 1 << 20

    private enum Stored {
        case value(JSONValue)
        /// The blob's whole line, at `offset` in the spill file.
        case spilled(offset: Int64, length: Int)
    }

    private var blobs: [String: Stored] = [:]
    private var bytesInMemory = 0
    private var spill: Int32 = -1
    private var spillLength: Int64 = 0
    /// Recently spilled blobs, oldest first from `recentOrder[recentHead]`.
    private var recent: [String: (value: JSONValue, bytes: Int)] = [:]
    private var recentOrder: [String] = []
    private var recentHead = 0
    private var recentBytes = 0

    init() {}

    deinit { if spill >= 0 { close(spill) } }

    var isEmpty: Bool { blobs.isEmpty }

    /// Keeps the blob `id` whose value is `value`, read from `line`.
    func add(id: String, value: JSONValue, line: some Collection<UInt8>) {
        if bytesInMemory + line.count <= Self.memoryBudget || !spillLine(id: id, line) {
            blobs[id] = .value(value)
            bytesInMemory += line.count
        } else {
            remember(id: id, value: value, bytes: line.count)
        }
    }

    /// The value of blob `id`; nil when the file has not defined it.
    func value(of id: String) -> JSONValue? {
        switch blobs[id] {
        case nil: return nil
        case .value(let value): return value
        case .spilled(let offset, let length):
            if let known = recent[id] { return known.value }
            var line = [UInt8](repeating: 0, count: length)
            let read = line.withUnsafeMutableBytes { pread(spill, $0.baseAddress, length, off_t(offset)) }
            guard read == length,
                let value = try? JSONValue(parsing: line, maximumDepth: CassetteFormat.lineNestingDepth)
            else { return nil }
            return value["value"]
        }
    }

    /// Keeps a spilled blob's value parsed until newer ones push it out.
    private func remember(id: String, value: JSONValue, bytes: Int) {
        recent[id] = (value, bytes)
        recentOrder.append(id)
        recentBytes += bytes
        while recentBytes > Self.recentBudget, recentHead < recentOrder.count - 1 {
            recentBytes -= recent.removeValue(forKey: recentOrder[recentHead])?.bytes ?? 0
            recentHead += 1
        }
        if recentHead > 1024 {
            recentOrder.removeFirst(recentHead)
            recentHead = 0
        }
    }

    /// Appends `line` to the spill file (made on first use); false when it
    /// cannot be written, and the blob then stays in memory.
    private func spillLine(id: String, _ line: some Collection<UInt8>) -> Bool {
        if spill < 0 {
            var template = Array((NSTemporaryDirectory() + "/switchboard-blobs-XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { return false }
            // Unlinked at once: the file goes away with the reader, even after a crash.
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            spill = descriptor
        }
        let bytes = Array(line)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                pwrite(spill, $0.baseAddress! + written, bytes.count - written, off_t(spillLength) + off_t(written))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            written += count
        }
        blobs[id] = .spilled(offset: spillLength, length: bytes.count)
        spillLength += Int64(bytes.count)
        return true
    }
}
