import Foundation
import TestSupport
import Testing
import Wire

@testable import Cassette

/// Rotation never splits an exchange: a full file takes no new exchange,
/// and the exchanges still open in it finish there.
@Suite struct RotationExchangeTests {
    /// A request body of random hex, which LZ4 barely compresses, so one
    /// fills a small file.
    private static func body(_ generator: inout SplitMix, bytes: Int = 3_000) -> [UInt8] {
        let hex = (0..<(bytes / 16 + 1)).map { _ in String(generator.next(), radix: 16) }.joined()
        return Array(#"{"system":"\#(hex)"}"#.utf8)
    }

    private static func request(_ id: String, body: [UInt8]) -> CassetteEvent {
        .clientRequest(
            exchange: id, timeMicros: 0, method: "POST", path: "/v1/messages", query: nil, headers: [:], body: body)
    }

    private static func end(_ id: String) -> CassetteEvent {
        .end(
            exchange: id, timeMicros: 9, outcome: .ok, status: 200, durationMicros: 9, ttfbMicros: 1, usage: nil,
            droppedEvents: 0)
    }

    /// Each file's lines as `exchange kind`.
    private static func layout(_ file: String) throws -> [String] {
        try CassetteReader.read(path: file).events.map { "\($0.exchange ?? "-") \($0.kind)" }
    }

    @Test func exchangesOpenAtARotationFinishInTheirOwnFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var generator = SplitMix(seed: 3)
        let bodies = (0..<3).map { _ in Self.body(&generator) }
        let writer = try CassetteWriter(directory: directory.path, maxFileBytes: 2_000)
        try writer.write(Self.request("a", body: bodies[0]))
        // The file is full: b begins the next one, a's lines stay behind.
        try writer.write(Self.request("b", body: bodies[1]))
        try writer.write(.upstreamChunk(exchange: "a", timeMicros: 5, bytes: Array("a's answer".utf8)))
        try writer.write(Self.request("c", body: bodies[2]))
        try writer.write(Self.end("a"))
        // a was the first file's last open exchange: that file is ended now.
        let first = try CassetteReader.read(path: writer.files[0])
        #expect(first.tornTail == nil)
        try writer.write(Self.end("b"))
        // The current file is full too, but c is open in it: no rotation.
        try writer.write(.upstreamChunk(exchange: "c", timeMicros: 5, bytes: Array("c's answer".utf8)))
        // A line of no exchange begun here (none has a client_request line)
        // rotates a full file like a new exchange.
        try writer.write(
            .diagnostic(exchange: "d", timeMicros: 1, severity: .info, path: "/", message: "no request line"))
        try writer.write(Self.end("c"))
        try writer.close()

        #expect(writer.files.count == 4)
        #expect(
            try writer.files.map(Self.layout) == [
                ["a client_request", "a upstream_chunk", "a end"],
                ["b client_request", "b end"],
                ["c client_request", "c upstream_chunk", "c end"],
                ["d diagnostic"],
            ])
        for (index, file) in writer.files.enumerated() {
            let contents = try CassetteReader.read(path: file)
            #expect(contents.tornTail == nil, "\(file)")
            if index < 3 { #expect(contents.events.first?.bodyBytes == bodies[index], "\(file)") }
        }
        #expect(writer.bytesOnDisk == writer.files.reduce(0) { $0 + ((try? fileBytes($1).count) ?? 0) })
    }

    /// Through the recorder (lines rendered on its writer thread), with
    /// exchanges overlapping as concurrent ones do, so that no moment finds
    /// none open: every exchange is still whole in one file.
    @Test func overlappingExchangesAreEachWholeInOneFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var generator = SplitMix(seed: 4)
        let recorder = try CassetteRecorder(
            directory: directory.path, maxFileBytes: 4_000, flushInterval: .milliseconds(1), batchDelay: .zero)
        let count = 12
        // Exchange i begins at step i and ends at step i + 3, with a chunk
        // at every step between.
        for step in 0..<(count + 3) {
            if step < count {
                recorder.record(
                    exchange: "x\(step)", timeMicros: 0,
                    .clientRequest(
                        method: "POST", path: "/v1/messages", query: nil, headers: [:], started: nil,
                        body: Self.body(&generator)))
            }
            for open in max(0, step - 2)..<min(step, count) {
                recorder.record(
                    exchange: "x\(open)", timeMicros: Int64(step),
                    .upstreamChunk(bytes: [UInt8](repeating: 0x61, count: 300)))
            }
            if step >= 3, step - 3 < count {
                recorder.record(
                    exchange: "x\(step - 3)", timeMicros: Int64(step),
                    .end(
                        outcome: .ok, status: 200, durationMicros: 1, ttfbMicros: 1, usage: nil,
                        droppedEvents: 0))
            }
            // Lines reach the writer in several batches, as under load.
            if step % 2 == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
        await recorder.close()

        let files = recorder.files
        #expect(files.count >= 4, "\(files.count) files")
        var fileOfExchange: [String: String] = [:]
        for file in files {
            let contents = try CassetteReader.read(path: file)
            #expect(contents.tornTail == nil, "\(file)")
            let ids = contents.events.compactMap(\.exchange).reduce(into: [String]()) { ids, id in
                if !ids.contains(id) { ids.append(id) }
            }
            for id in ids {
                #expect(fileOfExchange[id] == nil, "\(id) is in \(fileOfExchange[id] ?? "") and \(file)")
                fileOfExchange[id] = file
                let kinds = contents.events.filter { $0.exchange == id }.map(\.kind)
                #expect(kinds.first == "client_request" && kinds.last == "end", "\(id) in \(file): \(kinds)")
                #expect(kinds.count == 4, "\(id) in \(file): \(kinds)")
            }
        }
        #expect(fileOfExchange.keys.sorted() == (0..<count).map { "x\($0)" }.sorted())
    }

    /// An exchange whose `end` line a full queue dropped is over all the
    /// same: the rotated file it began in is ended at once, not kept open
    /// (and, four rotations later, split) waiting for an `end` that never
    /// comes.
    @Test func aDroppedEndLineStillEndsItsExchangesFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var generator = SplitMix(seed: 5)
        let recorder = try CassetteRecorder(
            directory: directory.path, maxFileBytes: 2_000, queueCapacity: 3, flushInterval: .milliseconds(1),
            batchDelay: .zero)
        func request(_ id: String) {
            recorder.record(
                exchange: id, timeMicros: 0,
                .clientRequest(
                    method: "POST", path: "/v1/messages", query: nil, headers: [:], started: nil,
                    body: Self.body(&generator)))
        }
        func end(_ id: String) {
            recorder.record(
                exchange: id, timeMicros: 9,
                .end(outcome: .ok, status: 200, durationMicros: 9, ttfbMicros: 1, usage: nil, droppedEvents: 0))
        }
        recorder.holdWriter()
        request("a")
        // The first file is full: b begins the next one, a stays open in it.
        request("b")
        recorder.record(exchange: "a", timeMicros: 5, .upstreamChunk(bytes: Array("a's answer".utf8)))
        // The queue is full: a's end line is dropped.
        end("a")
        #expect(recorder.takeDroppedSinceLastEnd() == 1)
        recorder.releaseWriter()
        // Once the writer has taken the queue, b's end has room.
        let deadline = ContinuousClock.now + .seconds(30)
        while recorder.statistics.queuedLines > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        end("b")
        // b's end is flushed after every line queued before it, and after
        // the writer heard of a's end.
        let second = try await Self.read(file: 1, of: recorder) { $0.events.last?.knownKind == .end }
        #expect(second.events.map { "\($0.exchange ?? "-") \($0.kind)" } == ["b client_request", "b end"])
        let first = try CassetteReader.read(path: recorder.files[0])
        #expect(first.events.map { "\($0.exchange ?? "-") \($0.kind)" } == ["a client_request", "a upstream_chunk"])
        #expect(first.tornTail == nil, "the first file is still open")
        await recorder.close()
    }

    /// Polls the `index`th file of `recorder` until `done` (or 30 s pass).
    private static func read(
        file index: Int, of recorder: CassetteRecorder, until done: (CassetteContents) -> Bool
    ) async throws -> CassetteContents {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let files = recorder.files
            if files.count > index {
                let contents = try CassetteReader.read(path: files[index])
                if done(contents) || ContinuousClock.now > deadline { return contents }
            } else if ContinuousClock.now > deadline {
                throw CassetteWriteError(path: recorder.directory, reason: "no file \(index) yet")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The same for an exchange still open in the current file: a full file
    /// whose only exchange ended so is ended at its rotation.
    @Test func anExchangeEndedWithoutItsLineLeavesTheCurrentFileFreeToEnd() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var generator = SplitMix(seed: 6)
        let writer = try CassetteWriter(directory: directory.path, maxFileBytes: 2_000)
        try writer.write(Self.request("a", body: Self.body(&generator)))
        writer.exchangeEnded(withoutLine: "a")
        try writer.write(Self.request("b", body: Self.body(&generator)))
        let first = try CassetteReader.read(path: writer.files[0])
        #expect(first.events.map(\.kind) == ["client_request"])
        #expect(first.tornTail == nil, "the first file is still open")
        try writer.close()
    }
}
