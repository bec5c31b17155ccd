import Foundation
import NIOConcurrencyHelpers
import SSE
import Testing

@testable import Cassette

/// A disk that refuses bytes (here: the cassette directory gone when the
/// next file is due) stops recording without stopping its callers; lines are
/// dropped and counted, the cause is reported once, and writing resumes in a
/// new file once the directory is back. (The real "disk full", a file-size
/// limit, is run against the proxy binary by tools/e2e/endurance.py.)
@Suite struct RecorderWriteFailureTests {
    private static func chunk(_ step: Int) -> CassetteEvent {
        .upstreamChunk(exchange: "w", timeMicros: Int64(step), bytes: Array("chunk \(step)".utf8))
    }

    private static func waitFor(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// A recorder that has written two files, in a directory then removed.
    /// A 1-byte limit rotates before every line after the first, so each
    /// line needs a new file: the directory's absence fails the next one.
    private static func recorderOnAVanishingDirectory(
        _ directory: TemporaryDirectory, reportingTo statuses: NIOLockedValueBox<[CassetteRecorder.WriteStatus]>
    ) async throws -> CassetteRecorder {
        let recorder = try CassetteRecorder(
            directory: directory.path, maxFileBytes: 1, flushInterval: .milliseconds(1), batchDelay: .zero,
            retryInterval: .milliseconds(20),
            onWriteStatus: { status in statuses.withLockedValue { $0.append(status) } })
        recorder.record(Self.chunk(0))
        recorder.record(Self.chunk(1))
        try await Self.waitFor("two files") { recorder.files.count == 2 }
        try FileManager.default.removeItem(atPath: directory.path)
        return recorder
    }

    @Test func aStoppedDiskDropsCountsReportsOnceAndResumesInANewFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let statuses = NIOLockedValueBox<[CassetteRecorder.WriteStatus]>([])
        let recorder = try await Self.recorderOnAVanishingDirectory(directory, reportingTo: statuses)
        recorder.record(Self.chunk(2))
        try await Self.waitFor("the write error") { recorder.writeError != nil }
        let error = try #require(recorder.writeError)
        #expect(error.code == ENOENT, "\(error)")
        // Stopped: later lines are dropped and counted at once, nobody waits.
        for step in 3..<8 { recorder.record(Self.chunk(step)) }
        #expect(recorder.droppedEvents == 6)
        // Retries (every 20 ms) report nothing more while they fail.
        try await Task.sleep(for: .milliseconds(200))
        #expect(statuses.withLockedValue { $0 } == [.failed(error)])

        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        try await Self.waitFor("the resume") { recorder.writeError == nil }
        recorder.record(Self.chunk(8))
        await recorder.close()

        let resumedFile = try #require(recorder.files.last)
        #expect(
            statuses.withLockedValue { $0 } == [.failed(error), .resumed(file: recorder.files[2], droppedEvents: 6)])
        #expect(recorder.droppedEvents == 6)
        #expect(recorder.files.count == 3, "\(recorder.files)")
        // What was written after the resume is a whole cassette again.
        let contents = try CassetteReader.read(path: resumedFile)
        #expect(contents.tornTail == nil)
        #expect(contents.events.map(\.timeMicros) == [8])
    }

    /// A stream's frames queued together and refused by the disk at their
    /// first line: all of them count as dropped, none is written, and the
    /// resume reports them.
    @Test func framesRefusedByTheDiskAreAllCounted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let statuses = NIOLockedValueBox<[CassetteRecorder.WriteStatus]>([])
        let recorder = try await Self.recorderOnAVanishingDirectory(directory, reportingTo: statuses)
        var frames = SSEFrames()
        for index in 0..<3 { frames.append(event: "e") { $0.append(contentsOf: "{\"n\":\(index)}".utf8) } }
        recorder.record(exchange: "w", timeMicros: 2, clientEvents: frames)
        try await Self.waitFor("the write error") { recorder.writeError != nil }
        #expect(recorder.droppedEvents == 3)

        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        try await Self.waitFor("the resume") { recorder.writeError == nil }
        recorder.record(exchange: "w", timeMicros: 3, clientEvents: frames)
        await recorder.close()
        let error = try #require(statuses.withLockedValue { $0 }.first)
        #expect(statuses.withLockedValue { $0 } == [error, .resumed(file: recorder.files[2], droppedEvents: 3)])
        // Each line after a file's first rotates (the 1-byte limit).
        let written = try recorder.files.dropFirst(2).flatMap {
            try CassetteReader.read(path: $0).events.compactMap(\.sseEvent)
        }
        #expect(written == frames.events)
    }
}
