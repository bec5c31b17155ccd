import Foundation
import Testing
import Wire

@testable import Cassette

@Suite struct CassetteReadErrorTests {
    func expectError(_ expected: CassetteReadError, reading path: String) {
        do {
            _ = try CassetteReader.read(path: path)
            Issue.record("\(path) was read without an error")
        } catch {
            #expect(error == expected)
            #expect(!error.description.contains("\n"))
            #expect(error.description.hasPrefix(path + ": "))
        }
    }

    @Test func aMissingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("missing.jsonl.lz4")
        expectError(.missingFile(path: path), reading: path)
        #expect(CassetteReadError.missingFile(path: path).description == "\(path): no such file or directory")
    }

    @Test func filesThatAreNotCassettes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = directory.file("binary.jsonl.lz4")
        try writeFile(binary, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A])
        expectError(.notACassette(path: binary, reason: "neither an LZ4 frame nor JSON Lines"), reading: binary)

        let noHeader = directory.file("noheader.jsonl")
        try writeFile(noHeader, Array("{\"kind\":\"end\",\"x\":\"a\",\"t_us\":1}\n".utf8))
        expectError(
            .notACassette(path: noHeader, reason: "the first line is a `end` line, not a cassette header"),
            reading: noHeader)

        let notJSON = directory.file("log.jsonl")
        try writeFile(notJSON, Array("{started server}\nmore\n".utf8))
        expectError(.notACassette(path: notJSON, reason: "the first line is not a cassette header"), reading: notJSON)

        // A good LZ4 frame whose text is not a cassette.
        let compressed = directory.file("other.jsonl.lz4")
        let sink = try LZ4FrameSink(file: try OutputFile(creating: compressed))
        try sink.write(Array("{\"hello\":\"world\"}\n".utf8))
        try sink.finish()
        expectError(
            .notACassette(path: compressed, reason: "the first line is not a cassette header"), reading: compressed)

        // A complete LZ4 frame, or a plain file, with no lines at all.
        let emptyFrame = directory.file("empty.jsonl.lz4")
        try LZ4FrameSink(file: try OutputFile(creating: emptyFrame)).finish()
        expectError(.notACassette(path: emptyFrame, reason: "it holds no lines"), reading: emptyFrame)
        let blank = directory.file("blank.jsonl")
        try writeFile(blank, Array("\n  \n".utf8))
        expectError(.notACassette(path: blank, reason: "neither an LZ4 frame nor JSON Lines"), reading: blank)
    }

    @Test func aNewerVersion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("future.jsonl")
        try writeFile(path, Array("{\"kind\":\"cassette\",\"version\":2,\"writer\":\"switchboard 9\"}\n".utf8))
        expectError(.newerVersion(path: path, version: 2), reading: path)
        #expect(
            CassetteReadError.newerVersion(path: path, version: 2).description
                == "\(path): cassette format version 2 is newer than this reader's (1); update switchboard to read it")
    }

    @Test func aDamagedLineBeforeTheLast() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("damaged.jsonl")
        try writeFile(path, Array("{\"kind\":\"cassette\",\"version\":1}\n{\"kind\":\n{\"kind\":\"end\"}\n".utf8))
        do {
            _ = try CassetteReader.read(path: path)
            Issue.record("read without an error")
        } catch {
            guard case .invalidLine(path, 2, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test func eachErrorIsDistinct() {
        let errors: [CassetteReadError] = [
            .missingFile(path: "f"), .unreadable(path: "f", reason: "r"), .notACassette(path: "f", reason: "r"),
            .newerVersion(path: "f", version: 2), .invalidLine(path: "f", line: 1, reason: "r"),
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
        #expect(errors.allSatisfy { $0.path == "f" })
    }
}
