import Foundation
import Wire

/// Reads cassettes: `.jsonl.lz4` (one or more LZ4 frames) or plain `.jsonl`,
/// told apart by their first bytes rather than their names.
///
/// A file cut short is not an error: every complete line up to the last
/// complete LZ4 block is returned and the rest is described in
/// ``CassetteContents/tornTail``. Every function here is built on
/// ``CassetteStreamReader``; ``stream(path:chunkSize:header:event:)`` reads a file
/// of any size in bounded memory.
public enum CassetteReader {
    /// How much of a file is read at a time.
    public static let chunkSize = 64 * 1024

    /// Reads the whole file. Throws ``CassetteReadError`` for a missing or
    /// unreadable file, a file that is not a cassette, a newer format
    /// version, or a damaged line before the last.
    public static func read(path: String) throws(CassetteReadError) -> CassetteContents {
        var events: [CassetteEvent] = []
        let (header, tornTail) = try stream(path: path) { events.append($0) }
        return CassetteContents(path: path, header: header, events: events, tornTail: tornTail)
    }

    /// Reads a cassette already in memory (one built into a binary, say);
    /// `path` names it in errors and in the result. Throws as
    /// ``read(path:)`` does, except for file errors.
    public static func read(bytes: [UInt8], path: String) throws(CassetteReadError) -> CassetteContents {
        let reader = CassetteStreamReader(path: path)
        var events: [CassetteEvent] = []
        try reader.feed(bytes[...]) { events.append($0) }
        let tornTail = try reader.finish { events.append($0) }
        return CassetteContents(path: path, header: reader.header, events: events, tornTail: tornTail)
    }

    /// Reads the file `chunkSize` bytes at a time and hands each line after
    /// the header to `event` as soon as it is read (the header line to
    /// `header`, before any other), so a file of any size is read in
    /// bounded memory. Returns the header and what was left
    /// unread at the end (see ``CassetteContents/tornTail``). Throws as
    /// ``read(path:)`` does; lines handed on before an error stay handed on.
    @discardableResult
    public static func stream(
        path: String, chunkSize: Int = chunkSize, header: (CassetteEvent) -> Void = { _ in },
        event: (CassetteEvent) -> Void
    ) throws(CassetteReadError) -> (header: CassetteEvent?, tornTail: String?) {
        let reader = CassetteStreamReader(path: path)
        let descriptor = try open(path)
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: OutputFile.message(errno))
            }
            if count == 0 { break }
            try reader.feed(chunk[0..<count], header: header, event: event)
        }
        let tornTail = try reader.finish(header: header, event: event)
        return (reader.header, tornTail)
    }

    private static func open(_ path: String) throws(CassetteReadError) -> Int32 {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missingFile(path: path)
        }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a directory") }
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: OutputFile.message(errno)) }
        return descriptor
    }
}
