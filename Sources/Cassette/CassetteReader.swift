import Foundation
import Wire

/// Reads cassettes: `.jsonl.lz4` (one or more LZ4 frames) or plain `.jsonl`,
/// told apart by their first bytes rather than their names.
///
/// A file cut short is not an error: every complete line up to the last
/// complete LZ4 block is returned and the rest is described in
/// ``CassetteContents/tornTail``.
public enum CassetteReader {
    /// Reads the whole file. Throws ``CassetteReadError`` for a missing or
    /// unreadable file, a file that is not a cassette, a newer format
    /// version, or a damaged line before the last.
    public static func read(path: String) throws(CassetteReadError) -> CassetteContents {
        try read(bytes: try readFile(path), path: path)
    }

    /// Reads a cassette already in memory (one built into a binary, say);
    /// `path` names it in errors and in the result. Throws as
    /// ``read(path:)`` does, except for file errors.
    public static func read(bytes: [UInt8], path: String) throws(CassetteReadError) -> CassetteContents {
        guard !bytes.isEmpty else {
            return CassetteContents(path: path, header: nil, events: [], tornTail: "the file is empty")
        }
        var tornParts: [String] = []
        let text: [UInt8]
        if LZ4FrameDecoder.looksLikeLZ4(bytes) {
            var content: [UInt8] = []
            if let torn = LZ4FrameDecoder.decode(bytes, into: &content) { tornParts.append(torn) }
            text = content
        } else if startsLikeJSONLines(bytes) {
            text = bytes
        } else {
            throw .notACassette(path: path, reason: "neither an LZ4 frame nor JSON Lines")
        }
        var contents = CassetteContents(path: path, header: nil, events: [], tornTail: nil)
        if let partial = try readLines(text, into: &contents) { tornParts.append(partial) }
        if contents.header == nil && tornParts.isEmpty {
            throw .notACassette(path: path, reason: "it holds no lines")
        }
        contents.tornTail = tornParts.isEmpty ? nil : tornParts.joined(separator: "; ")
        return contents
    }

    /// Parses every line into `contents`; returns a description of a
    /// partial last line, if there is one.
    private static func readLines(
        _ text: [UInt8], into contents: inout CassetteContents
    ) throws(CassetteReadError) -> String? {
        let path = contents.path
        var lineNumber = 0
        var blobs: [String: JSONValue] = [:]
        var start = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < text.count {
            lineNumber += 1
            let newline = text[start...].firstIndex(of: 0x0A)
            var end = newline ?? text.count
            if end > start, text[end - 1] == 0x0D { end -= 1 }
            let line = text[start..<end]
            start = (newline ?? text.count) + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            var event: CassetteEvent
            do {
                let value = try JSONValue(parsing: line, maximumDepth: CassetteFormat.lineNestingDepth)
                guard let parsed = CassetteEvent(json: value) else {
                    throw CassetteReadError.invalidLine(path: path, line: lineNumber, reason: "no string `kind`")
                }
                event = parsed
            } catch {
                // The last line without its newline is where a cut-short file ends.
                if newline == nil { return "the last line (\(line.count) bytes) is incomplete" }
                if contents.header == nil && contents.events.isEmpty {
                    throw .notACassette(path: path, reason: "the first line is not a cassette header")
                }
                if case let error as CassetteReadError = error { throw error }
                throw .invalidLine(path: path, line: lineNumber, reason: "\(error)")
            }
            if event.knownKind == .blob {
                if let id = event["id"]?.stringValue, let value = event["value"] { blobs[id] = value }
                continue
            }
            if !blobs.isEmpty { event.resolveBlobReferences(blobs) }
            if contents.header == nil && contents.events.isEmpty {
                try checkHeader(event, path: path)
                contents.header = event
            } else {
                contents.events.append(event)
            }
        }
        return nil
    }

    private static func checkHeader(_ event: CassetteEvent, path: String) throws(CassetteReadError) {
        guard event.knownKind == .cassette else {
            throw .notACassette(path: path, reason: "the first line is a `\(event.kind)` line, not a cassette header")
        }
        guard let version = event["version"]?.intValue else {
            throw .notACassette(path: path, reason: "the header has no integer `version`")
        }
        if version > CassetteFormat.version { throw .newerVersion(path: path, version: version) }
    }

    private static func startsLikeJSONLines(_ bytes: [UInt8]) -> Bool {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        let first = body.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        return first == UInt8(ascii: "{")
    }

    private static func readFile(_ path: String) throws(CassetteReadError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missingFile(path: path)
        }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a directory") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: OutputFile.message(errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: OutputFile.message(errno))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
