import Foundation
import Testing
import Wire

@testable import Cassette

/// A cassette holds whole conversations, so it is as private as the log
/// (0600), and a directory the recorder makes for it is its owner's only.
@Suite struct CassettePermissionsTests {
    private static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test func recordedFilesAndTheDirectoryMadeForThemAreTheOwnersOnly() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let directory = scratch.file("rec")
        // A small limit, so the rotated files are checked too.
        let writer = try CassetteWriter(directory: directory, maxFileBytes: 200)
        for index in 0..<20 {
            try writer.write(
                .diagnostic(
                    exchange: "x\(index)", timeMicros: Int64(index), severity: .info, path: "/",
                    message: String(repeating: "\(index)", count: 40)))
            try writer.flush()
        }
        try writer.close()
        #expect(try Self.mode(directory) == 0o700)
        let files = try CassetteReader.cassetteFiles(in: [directory])
        #expect(files.count > 1)
        for file in files { #expect(try Self.mode(file) == 0o600, "\(file)") }

        let single = scratch.file("one.jsonl")
        let fileWriter = try CassetteWriter(file: single)
        try fileWriter.close()
        #expect(try Self.mode(single) == 0o600)
    }

    @Test func aDirectoryThatExistsKeepsItsPermissions() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
        let writer = try CassetteWriter(directory: scratch.path)
        try writer.close()
        #expect(try Self.mode(scratch.path) == 0o755)
    }
}
