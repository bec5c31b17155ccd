import Cassette
import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// `log-replay -o cassette`: one exchange cut out of a corpus cassette is a
/// cassette of its own, which `verify` passes and `log-replay` reads back
/// line for line, both as plain JSONL on stdout and as an LZ4 file.
@Suite struct CassetteExportTests {
    @Test func oneExchangeCutOutIsACassetteThatVerifiesAndReadsBack() async throws {
        let source = try Corpus.directory() + "/claude-code/openai-write-read-bash.jsonl.lz4"
        let exchanges = try CassetteLoader.load(paths: [source]).exchanges
        // A later exchange: its request bodies refer to blobs an earlier
        // exchange of the file defined, which the cut-out file must hold.
        let chosen = try #require(exchanges.dropFirst().first)
        let directory = try ConvertedExchange.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let plain = directory + "/one.jsonl"
        let exported = try await runLogReplay([source, "--request-id", chosen.id, "-o", "cassette"])
        #expect(exported.ending == .exited(0), "\(exported.standardError)")
        try Data(exported.standardOutputBytes).write(to: URL(filePath: plain))

        let compressed = directory + "/one.jsonl.lz4"
        let written = try await runLogReplay([
            source, "--request-id", chosen.id, "-o", "cassette", "--write", compressed,
        ])
        #expect(written.ending == .exited(0), "\(written.standardError)")
        #expect(written.standardOutput.isEmpty)
        #expect(try CassetteReader.read(path: compressed).header?.knownKind == .cassette)
        // The LZ4 frame magic, little-endian: compressed, as the name asks.
        #expect(Array(try Data(contentsOf: URL(filePath: compressed)).prefix(4)) == [0x04, 0x22, 0x4D, 0x18])

        for path in [plain, compressed] {
            let verify = try await runLogReplay(["verify", path, "-o", "json"])
            #expect(verify.ending == .exited(0), "\(path): \(verify.standardOutput) \(verify.standardError)")
            let report = try JSONValue(parsing: Array(verify.standardOutput.utf8))
            #expect(report["matched"] == .int(1), "\(path): \(verify.standardOutput)")
            let readBack = try CassetteLoader.load(paths: [path]).exchanges
            #expect(readBack.map(\.id) == [chosen.id])
            #expect(readBack.first?.events == chosen.events, "\(path)")
            #expect(readBack.first?.cassetteStarted == chosen.cassetteStarted)
        }
    }

    /// `--write` belongs to `-o cassette`; with another format it would be
    /// silently ignored, so it is refused.
    @Test func writeWithoutTheCassetteFormatIsRefused() async throws {
        let source = try Corpus.directory() + "/claude-code/openai-write.jsonl.lz4"
        let child = try await runLogReplay([source, "-o", "jsonl", "--write", "/tmp/never.jsonl"])
        #expect(child.ending == .exited(64))
        #expect(child.standardError.contains("--write needs -o cassette"), "\(child.standardError)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.jsonl"))
    }

    /// An existing file is refused before anything is read (the read of a
    /// large recording can take minutes), and is left as it was.
    @Test func anExistingFileIsRefusedBeforeTheRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-export-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let existing = directory.appendingPathComponent("kept.jsonl").path
        try Data("mine\n".utf8).write(to: URL(filePath: existing))
        #expect {
            try CassetteExport.write(
                paths: [directory.appendingPathComponent("no-such-input.jsonl.lz4").path], filter: ExchangeFilter(),
                file: existing)
        } throws: { error in
            (error as? CassetteWriteError)?.path == existing
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "mine\n")
    }
}
