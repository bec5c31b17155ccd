import Foundation
import TestSupport
import Testing
import Wire

@testable import Cassette

@Suite struct RotationTests {
    @Test func filesRotateAtTheSizeLimitAndReadBackInOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let started = Date(timeIntervalSince1970: 1_795_000_000)
        let limit = 3_000
        let writer = try CassetteWriter(directory: directory.path, maxFileBytes: limit, started: started, pid: 77)
        var generator = SplitMix(seed: 1)
        // Hex of random numbers barely compresses, so the files fill up.
        let events = (0..<400).map { index in
            let noise = (0..<6).map { _ in String(generator.next(), radix: 16) }.joined()
            return CassetteEvent.diagnostic(
                exchange: "r\(index % 7)", timeMicros: Int64(index), severity: .info, path: "/\(index)",
                message: noise)
        }
        var largestLine = 0
        for event in events {
            largestLine = max(largestLine, event.json.serialized().count + 1)
            try writer.write(event)
            if event.timeMicros! % 3 == 0 { try writer.flush() }
        }
        try writer.close()

        #expect(writer.files.count >= 12)
        #expect(writer.files[0] == directory.file("20261118-110640-77.jsonl.lz4"))
        #expect(writer.files[1] == directory.file("20261118-110640-77-1.jsonl.lz4"))
        #expect(writer.files[11] == directory.file("20261118-110640-77-11.jsonl.lz4"))
        #expect(try CassetteReader.cassetteFiles(in: [directory.path]) == writer.files)

        var readBack: [CassetteEvent] = []
        for (index, file) in writer.files.enumerated() {
            let size = try fileBytes(file).count
            // Over by at most one line (stored uncompressed at worst) plus block and frame framing.
            #expect(size <= limit + largestLine + 64, "\(file): \(size) bytes")
            // Pending data is counted uncompressed, so a file may close a little under the limit, never far.
            if index < writer.files.count - 1 { #expect(size >= limit / 2, "\(file) rotated early: \(size) bytes") }
            let contents = try CassetteReader.read(path: file)
            #expect(contents.tornTail == nil)
            #expect(contents.header?["pid"] == 77)
            #expect(contents.header?["started"] == "2026-11-18T11:06:40.000Z")
            #expect(!contents.events.isEmpty)
            readBack += contents.events
        }
        #expect(readBack == events)
    }

    @Test func namesTakenByAnotherWriterAreSkipped() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let started = Date(timeIntervalSince1970: 1_795_000_000)
        let first = try CassetteWriter(directory: directory.path, started: started, pid: 5)
        let second = try CassetteWriter(directory: directory.path, started: started, pid: 5)
        #expect(first.files == [directory.file("20261118-110640-5.jsonl.lz4")])
        #expect(second.files == [directory.file("20261118-110640-5-1.jsonl.lz4")])
        try first.close()
        try second.close()
    }

    @Test func cassetteFilesSearchesDirectoriesRecursively() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(
            atPath: directory.file("sub/deeper"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file(".hidden"), withIntermediateDirectories: true)
        for name in [
            "b.jsonl", "a-2.jsonl.lz4", "a-10.jsonl.lz4", "a.jsonl.lz4", "notes.txt", "sub/deeper/c.jsonl",
            ".hidden/d.jsonl", "sub/e.jsonl.lz4.tmp",
        ] {
            try writeFile(directory.file(name), [])
        }
        let explicit = directory.file("notes.txt")
        let files = try CassetteReader.cassetteFiles(in: [directory.path, explicit, directory.file("b.jsonl")])
        #expect(
            files == [
                directory.file("a.jsonl.lz4"), directory.file("a-2.jsonl.lz4"), directory.file("a-10.jsonl.lz4"),
                directory.file("b.jsonl"), explicit, directory.file("sub/deeper/c.jsonl"),
            ])
        #expect(throws: CassetteReadError.missingFile(path: directory.file("nope"))) {
            try CassetteReader.cassetteFiles(in: [directory.file("nope")])
        }
    }
}
