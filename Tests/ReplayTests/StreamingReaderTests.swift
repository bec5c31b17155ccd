import Cassette
import Foundation
import TestSupport
import Testing
import Wire

/// The streaming reader gives every corpus cassette's lines exactly as a
/// whole-file read does, whatever the size of the pieces it is fed.
@Suite(.cpuBound) struct StreamingReaderTests {
    struct ToolMissing: Error, CustomStringConvertible {
        var description: String
    }

    /// The decompressed text of every file of `files`, by path: Debian's
    /// `lz4 -d` (an independent decoder, run once for all of them on copies)
    /// for LZ4 files, the bytes themselves otherwise. A missing `lz4` fails
    /// the test.
    static func texts(of files: [String]) async throws -> [String: [UInt8]] {
        let tool = try LZ4Tool.path()
        let scratch = FileManager.default.temporaryDirectory.appending(path: "stream-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var copies: [String: URL] = [:]
        for (index, file) in files.enumerated() where file.hasSuffix(".lz4") {
            let copy = scratch.appending(path: "\(index).jsonl.lz4")
            try FileManager.default.copyItem(at: URL(filePath: file), to: copy)
            copies[file] = copy
        }
        let lz4 = try await ChildProcess(
            URL(filePath: tool), arguments: ["-d", "-m", "-q"] + copies.values.map(\.path))
        let ending = await lz4.waitForEnding()
        guard ending == .exited(0) else {
            throw ToolMissing(
                description: "lz4 -d failed (\(ending.map(\.description) ?? "still running")): \(lz4.standardError)")
        }
        var texts: [String: [UInt8]] = [:]
        for file in files {
            let source = copies[file].map { $0.deletingPathExtension() } ?? URL(filePath: file)
            texts[file] = Array(try Data(contentsOf: source))
        }
        return texts
    }

    /// The lines of a complete cassette read the simplest way: the whole text
    /// split at newlines, each line parsed, blob references put back by
    /// hand. Returns the header and the other lines.
    static func wholeTextLines(_ text: [UInt8]) throws -> (header: CassetteEvent?, events: [CassetteEvent]) {
        var blobs: [String: JSONValue] = [:]
        var header: CassetteEvent?
        var events: [CassetteEvent] = []
        for line in text.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            let value = try JSONValue(parsing: line, maximumDepth: CassetteFormat.lineNestingDepth)
            guard var event = CassetteEvent(json: value) else { throw ToolMissing(description: "a line has no kind") }
            if event.kind == "blob" {
                blobs[event["id"]?.stringValue ?? ""] = event["value"]
                continue
            }
            if event.kind == "client_request" || event.kind == "upstream_request",
                case .object(let body)? = event["body"]
            {
                event["body"] = .object(JSONObject(body.members.map { resolved($0, blobs) }))
            }
            if header == nil && events.isEmpty { header = event } else { events.append(event) }
        }
        return (header, events)
    }

    private static func resolved(_ member: JSONObject.Member, _ blobs: [String: JSONValue]) -> JSONObject.Member {
        func value(_ value: JSONValue) -> JSONValue {
            guard case .object(let object) = value, object.count == 1, let id = object["$ref"]?.stringValue,
                let blob = blobs[id]
            else { return value }
            return blob
        }
        if case .array(let elements) = member.value {
            return JSONObject.Member(key: member.key, value: .array(elements.map(value)))
        }
        return JSONObject.Member(key: member.key, value: value(member.value))
    }

    /// Feeds `bytes` to a stream reader `size` bytes at a time.
    static func readInPieces(_ bytes: [UInt8], size: Int, path: String) throws -> CassetteContents {
        let reader = CassetteStreamReader(path: path)
        var events: [CassetteEvent] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            try reader.feed(bytes[start..<end]) { events.append($0) }
            start = end
        }
        let tornTail = try reader.finish { events.append($0) }
        return CassetteContents(path: path, header: reader.header, events: events, tornTail: tornTail)
    }

    @Test func everyCorpusCassetteReadsAsItsWholeText() async throws {
        let files = try Corpus.files()
        #expect(files.count >= 50, "the corpus has its cassettes")
        let texts = try await Self.texts(of: files)
        for file in files {
            let expected = try Self.wholeTextLines(try #require(texts[file]))
            let streamed = try CassetteReader.read(path: file)
            #expect(streamed.tornTail == nil, "\(file)")
            #expect(streamed.header == expected.header, "\(file)")
            #expect(streamed.events == expected.events, "\(file)")
            #expect(!streamed.events.isEmpty, "\(file)")
        }
    }

    @Test(arguments: [1, 7, 64 * 1024])
    func piecesOfAnySizeGiveTheSameLines(size: Int) async throws {
        for file in try Corpus.files() {
            let bytes = Array(try Data(contentsOf: URL(filePath: file)))
            let whole = try CassetteReader.read(path: file)
            let pieces = try Self.readInPieces(bytes, size: size, path: file)
            #expect(pieces.header == whole.header, "\(file) in pieces of \(size)")
            #expect(pieces.events == whole.events, "\(file) in pieces of \(size)")
            #expect(pieces.tornTail == whole.tornTail, "\(file) in pieces of \(size)")
        }
    }

    /// The file reader itself, in small reads (one byte at a time is the
    /// in-memory test's: a system call per byte would be slow).
    @Test(arguments: [7, 4096])
    func theFileReaderGivesTheSameLinesInChunksOfAnySize(size: Int) async throws {
        for file in try Corpus.files() {
            var events: [CassetteEvent] = []
            let (header, tornTail) = try CassetteReader.stream(path: file, chunkSize: size) { events.append($0) }
            let whole = try CassetteReader.read(bytes: Array(try Data(contentsOf: URL(filePath: file))), path: file)
            #expect(header == whole.header && tornTail == whole.tornTail, "\(file) in chunks of \(size)")
            #expect(events == whole.events, "\(file) in chunks of \(size)")
        }
    }

    /// A file that begins with a skippable LZ4 frame (which `lz4` and the
    /// reader skip) reads the same in pieces of any size, whole or cut short:
    /// a reader fed three bytes of the skippable magic once called the file
    /// neither LZ4 nor JSON Lines.
    @Test func aSkippableFrameFirstReadsTheSameInPieces() async throws {
        let file = try Corpus.directory() + "/claude-code/openai-write-read-bash.jsonl.lz4"
        let cassette = Array(try Data(contentsOf: URL(filePath: file)))
        let skippable: [UInt8] = [0x5A, 0x2A, 0x4D, 0x18, 5, 0, 0, 0, 1, 2, 3, 4, 5]
        let bytes = skippable + cassette
        let whole = try CassetteReader.read(bytes: bytes, path: file)
        #expect(whole.events == (try CassetteReader.read(bytes: cassette, path: file)).events)
        for size in [1, 2, 3, 7] {
            let pieces = try Self.readInPieces(bytes, size: size, path: file)
            #expect(pieces.events == whole.events && pieces.tornTail == whole.tornTail, "pieces of \(size)")
        }
        for cut in [2, 3, 6, 12] {
            let part = Array(bytes.prefix(cut))
            let whole = Result { try CassetteReader.read(bytes: part, path: file) }
            for size in [1, 2, 3] {
                let pieces = Result { try Self.readInPieces(part, size: size, path: file) }
                #expect("\(pieces)" == "\(whole)", "cut at \(cut), pieces of \(size)")
            }
        }
    }

    /// A cassette cut anywhere (a writer still writing, or killed) reads the
    /// same, with the same torn tail, in pieces as in one.
    @Test func aCutCassetteReadsTheSameInPieces() async throws {
        let file = try Corpus.directory() + "/claude-code/openai-write-read-bash.jsonl.lz4"
        let bytes = Array(try Data(contentsOf: URL(filePath: file)))
        var cuts = Array(stride(from: 0, to: bytes.count, by: 997))
        cuts += [1, 3, 4, 5, 6, 7, 8, 11, 12, bytes.count - 1, bytes.count - 4, bytes.count - 5]
        for cut in cuts {
            let part = Array(bytes.prefix(cut))
            let whole = Result { try CassetteReader.read(bytes: part, path: file) }
            for size in [1, 7, 4096] {
                let pieces = Result { try Self.readInPieces(part, size: size, path: file) }
                switch (whole, pieces) {
                case (.success(let whole), .success(let pieces)):
                    #expect(pieces.header == whole.header, "cut at \(cut), pieces of \(size)")
                    #expect(pieces.events == whole.events, "cut at \(cut), pieces of \(size)")
                    #expect(pieces.tornTail == whole.tornTail, "cut at \(cut), pieces of \(size)")
                    #expect(cut == bytes.count || whole.tornTail != nil, "cut at \(cut)")
                case (.failure(let whole), .failure(let pieces)):
                    #expect("\(pieces)" == "\(whole)", "cut at \(cut), pieces of \(size)")
                default:
                    Issue.record("cut at \(cut), pieces of \(size): \(whole) but \(pieces)")
                }
            }
        }
    }
}
