import Foundation
import TestSupport
import Testing
import Wire

@testable import Cassette

/// A cassette cut anywhere (what `kill -9` leaves) reads up to its last
/// complete LZ4 block and reports the rest.
@Suite(.cpuBound) struct TornTailTests {
    /// A cassette flushed after every line, and the file size after each
    /// flush: `boundaries[k]` is where the k-th line's block ends.
    struct FlushedCassette {
        var bytes: [UInt8]
        var events: [CassetteEvent]
        var headerEnd: Int
        var boundaries: [Int]

        /// Events whose block is complete within the first `length` bytes.
        func eventsComplete(within length: Int) -> [CassetteEvent] {
            Array(events.prefix(boundaries.filter { $0 <= length }.count))
        }
    }

    func flushedCassette(events: [CassetteEvent], in directory: TemporaryDirectory) throws -> FlushedCassette {
        let writer = try CassetteWriter(directory: directory.path)
        let headerEnd = writer.currentFileBytes
        var boundaries: [Int] = []
        for event in events {
            try writer.write(event)
            try writer.flush()
            boundaries.append(writer.currentFileBytes)
        }
        let path = try #require(writer.currentFile)
        try writer.close()
        return FlushedCassette(bytes: try fileBytes(path), events: events, headerEnd: headerEnd, boundaries: boundaries)
    }

    func read(_ bytes: some Collection<UInt8>, in directory: TemporaryDirectory) throws -> CassetteContents {
        let path = directory.file("cut-\(bytes.count).jsonl.lz4")
        try writeFile(path, Array(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CassetteReader.read(path: path)
    }

    @Test func cutAtEveryByteReadsUpToTheLastCompleteBlock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cassette = try flushedCassette(events: sampleExchange(id: "t"), in: directory)
        #expect(cassette.boundaries.count == cassette.events.count)

        for length in 0..<cassette.bytes.count {
            let contents = try read(cassette.bytes.prefix(length), in: directory)
            let expected = cassette.eventsComplete(within: length)
            #expect(contents.events.map(lineText) == expected.map(lineText), "cut at \(length)")
            #expect((contents.header != nil) == (length >= cassette.headerEnd), "cut at \(length)")
            #expect(contents.tornTail != nil, "cut at \(length)")
        }
        let whole = try read(cassette.bytes, in: directory)
        #expect(whole.tornTail == nil)
        #expect(whole.events == cassette.events)
    }

    @Test func tornTailsSayWhatWasLeft() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cassette = try flushedCassette(events: sampleExchange(id: "t"), in: directory)
        let atBoundary = try read(cassette.bytes.prefix(cassette.boundaries[3]), in: directory)
        #expect(atBoundary.tornTail?.contains("no end mark") == true)
        let midBlock = try read(cassette.bytes.prefix(cassette.boundaries[3] + 5), in: directory)
        #expect(
            midBlock.tornTail?.contains("5 bytes of an incomplete LZ4 block at byte \(cassette.boundaries[3])") == true)
        #expect(try read([], in: directory).tornTail == "the file is empty")
    }

    /// A line bigger than a 64 KiB block spans blocks: a cut at a block
    /// boundary inside it leaves a partial line, reported as torn.
    @Test func cutsInsideMultiBlockLinesAreTorn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var generator = SplitMix(seed: 7)
        let big = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let events = [
            CassetteEvent.upstreamChunk(exchange: "b", timeMicros: 1, bytes: Array("first".utf8)),
            .upstreamChunk(exchange: "b", timeMicros: 2, bytes: big),
            .upstreamChunk(exchange: "b", timeMicros: 3, bytes: Array("last".utf8)),
        ]
        let cassette = try flushedCassette(events: events, in: directory)
        let blockEnds = blockBoundaries(cassette.bytes)
        #expect(blockEnds.count >= 6)
        var cuts = Set(blockEnds)
        for (start, end) in zip([7] + blockEnds, blockEnds) where end - start > 8 {
            cuts.formUnion([start + 1, start + 4, (start + end) / 2, end - 1])
        }
        for length in cuts.sorted() where length < cassette.bytes.count {
            let contents = try read(cassette.bytes.prefix(length), in: directory)
            let expected = cassette.eventsComplete(within: length)
            #expect(contents.events.map(lineText) == expected.map(lineText), "cut at \(length)")
            #expect(contents.tornTail != nil, "cut at \(length)")
            // The decoded text stops inside the big line when the last complete block ends inside it.
            let lastBlockEnd = blockEnds.filter { $0 <= length }.max() ?? 0
            let endsInsideBigLine = lastBlockEnd > cassette.boundaries[0] && lastBlockEnd < cassette.boundaries[1]
            #expect(
                (contents.tornTail?.contains("last line") == true) == endsInsideBigLine, "cut at \(length)")
        }
        #expect(try read(cassette.bytes, in: directory).events.map(\.chunkBytes) == events.map(\.chunkBytes))
    }

    @Test func aDamagedLastBlockIsTornNotGarbage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cassette = try flushedCassette(events: sampleExchange(id: "d"), in: directory)
        var bytes = Array(cassette.bytes.prefix(cassette.boundaries[5]))
        bytes[cassette.boundaries[4] + 6] ^= 0x5A
        let contents = try read(bytes, in: directory)
        #expect(contents.events == Array(cassette.events.prefix(5)))
        #expect(contents.tornTail?.contains("damaged") == true)
    }

    /// The same damage with the rest of the file after it lost lines in
    /// the middle: an error, not a torn tail read as the file's end.
    @Test func aDamagedBlockWithBlocksAfterItMakesTheFileUnreadable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cassette = try flushedCassette(events: sampleExchange(id: "d"), in: directory)
        var bytes = cassette.bytes
        bytes[cassette.boundaries[4] + 6] ^= 0x5A
        #expect {
            try read(bytes, in: directory)
        } throws: { error in
            guard case CassetteReadError.unreadable(_, let reason) = error else { return false }
            return reason.contains("is damaged") && reason.contains("not cut short")
        }
        // Cut right after the damaged block, the same file is torn; and so
        // it is with zeros after it, what a crash leaves past the last write.
        let cut = Array(bytes.prefix(cassette.boundaries[5]))
        #expect(try read(cut, in: directory).tornTail?.contains("damaged") == true)
        #expect(try read(cut + [UInt8](repeating: 0, count: 8192), in: directory).tornTail?.contains("damaged") == true)
    }

    /// Bytes after a whole frame that are neither a frame nor zeros (a
    /// block whose size was garbled into an end mark leaves the rest of
    /// the file so) are damage; zeros there are a crash's torn tail.
    @Test func garbageAfterTheFrameIsDamageAndZerosAreTorn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cassette = try flushedCassette(events: sampleExchange(id: "g"), in: directory)
        let zeros = try read(cassette.bytes + [UInt8](repeating: 0, count: 100), in: directory)
        #expect(zeros.events == cassette.events)
        #expect(zeros.tornTail?.contains("not an LZ4 frame") == true)
        #expect {
            try read(cassette.bytes + Array("garbage after the frame".utf8), in: directory)
        } throws: { error in
            guard case CassetteReadError.unreadable(_, let reason) = error else { return false }
            return reason.contains("not an LZ4 frame") && reason.contains("not cut short")
        }
    }

    @Test func plainFilesReportAPartialLastLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("torn.jsonl")
        let text =
            "{\"kind\":\"cassette\",\"version\":1}\n{\"kind\":\"end\",\"x\":\"a\",\"t_us\":1}\n{\"kind\":\"upstream_ch"
        try writeFile(path, Array(text.utf8))
        let contents = try CassetteReader.read(path: path)
        #expect(contents.events.count == 1)
        #expect(contents.tornTail == "the last line (20 bytes) is incomplete")
    }

    /// The ends of the LZ4 blocks (and of the end mark), walked from the
    /// frame format independently of the decoder under test.
    func blockBoundaries(_ bytes: [UInt8]) -> [Int] {
        var position = 7  // magic, FLG, BD, HC: the writer sets no optional header fields
        var ends: [Int] = []
        while position + 4 <= bytes.count {
            let word =
                UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16
                | UInt32(bytes[position + 3]) << 24
            if word == 0 { break }
            position += 4 + Int(word & 0x7FFF_FFFF) + 4
            ends.append(position)
        }
        return ends
    }
}
