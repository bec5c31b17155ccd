import Foundation
import SSE
import Testing
import Wire

@testable import Cassette

@Suite struct CassetteRoundTripTests {
    @Test func everyKindSurvivesAWriteAndARead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let started = Date(timeIntervalSince1970: 1_795_000_000.25)
        let writer = try CassetteWriter(directory: directory.path, started: started, pid: 4242)
        let events = sampleExchange(id: "x1") + sampleExchange(id: "x2")
        for event in events { try writer.write(event) }
        try writer.close()

        #expect(writer.files == [directory.file("20261118-110640-4242.jsonl.lz4")])
        let contents = try CassetteReader.read(path: writer.files[0])
        #expect(contents.tornTail == nil)
        #expect(contents.events.map(lineText) == events.map(lineText))
        #expect(contents.events == events)
        let kinds = Set(([contents.header!] + contents.events).compactMap(\.knownKind))
        // Blob lines are read into the bodies that use them (CassetteBlobsTests).
        #expect(kinds == Set(CassetteEvent.Kind.allCases).subtracting([.blob]))
        #expect(
            contents.header.map(lineText)
                == #"{"kind":"cassette","version":1,"writer":"\#(CassetteFormat.writer)","started":"2026-11-18T11:06:40.250Z","pid":4242}"#
        )
    }

    @Test func writeLineIsTheCompactJSONPlusANewline() {
        var shadowed = CassetteEvent(.diagnostic, exchange: "a\"b", timeMicros: -3, fields: ["message": "m"])
        shadowed.fields.append(key: "kind", value: "ignored")
        for event in sampleExchange(id: "w") + [shadowed, CassetteFormat.header(started: .now, pid: 1)] {
            var line: [UInt8] = []
            event.writeLine(to: &line)
            #expect(line == event.json.serialized() + [0x0A])
        }
    }

    @Test func storedBytesComeBackExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("exact.jsonl.lz4")
        let writer = try CassetteWriter(file: path)
        let chunks: [[UInt8]] = [Array("plain".utf8), [0xE2, 0x82], [0xAC, 0x0A], [0x00, 0xFF], []]
        for chunk in chunks { try writer.write(.upstreamChunk(exchange: "c", timeMicros: 1, bytes: chunk)) }
        let frame = SSEEvent(event: "content_block_delta", data: #"{"type":"x","delta":{"text":"a\nb"}}"#)
        let spaced = SSEEvent(event: "ping", data: #"{"type": "ping"}"#, id: "7", retry: 300)
        try writer.write(.clientEvent(exchange: "c", timeMicros: 2, event: frame))
        try writer.write(.clientEvent(exchange: "c", timeMicros: 3, event: spaced))
        try writer.close()

        let events = try CassetteReader.read(path: path).events
        #expect(events.prefix(chunks.count).map(\.chunkBytes) == chunks)
        #expect(events[chunks.count].sseEvent == frame)
        #expect(events[chunks.count]["data"] != nil)
        #expect(events[chunks.count + 1].sseEvent == spaced)
        #expect(events[chunks.count + 1]["data_text"] == .string(spaced.data))
        #expect(events.last?.sseEvent?.encoded() == spaced.encoded())
    }

    @Test func plainJSONLinesFilesAreWrittenAndRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("hand.jsonl")
        let events = sampleExchange(id: "p")
        let writer = try CassetteWriter(file: path)
        for event in events { try writer.write(event) }
        try writer.close()
        let text = String(decoding: try fileBytes(path), as: UTF8.self)
        #expect(text.hasPrefix(#"{"kind":"cassette","version":1,"#))
        #expect(text.split(separator: "\n").count == events.count + 1)
        #expect(try CassetteReader.read(path: path).events == events)
    }

    @Test func handWrittenFilesMayHaveBlankLinesAndCRLF() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("hand.jsonl")
        let text =
            "{\"kind\":\"cassette\",\"version\":1}\r\n\r\n{\"kind\":\"end\",\"x\":\"a\",\"t_us\":5,\"outcome\":\"ok\"}"
        try writeFile(path, Array(text.utf8))
        let contents = try CassetteReader.read(path: path)
        #expect(contents.tornTail == nil)
        #expect(contents.events.map(lineText) == [#"{"kind":"end","x":"a","t_us":5,"outcome":"ok"}"#])
    }

    /// Debian's `lz4` must decompress a cassette both while it is being
    /// written (up to the last flush) and once it is closed.
    @Test func theLZ4ToolReadsOpenAndClosedCassettes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try CassetteWriter(directory: directory.path)
        let path = try #require(writer.currentFile)
        let first = sampleExchange(id: "open")
        for event in first { try writer.write(event) }
        try writer.flush()
        let header = try #require(try CassetteReader.read(path: path).header)
        let flushedText = ([header] + first).map { lineText($0) + "\n" }.joined()

        guard let whileOpen = try decompressWithLZ4Tool(path) else {
            // Not a failure: the check needs Debian's lz4 (apt-get install lz4); .ci/run installs it.
            print("note: /usr/bin/lz4 is not installed; skipping the lz4 -dc check")
            return
        }
        #expect(String(decoding: whileOpen.output, as: UTF8.self) == flushedText)

        let second = sampleExchange(id: "closed")
        for event in second { try writer.write(event) }
        try writer.close()
        let closed = try #require(try decompressWithLZ4Tool(path))
        #expect(closed.status == 0)
        #expect(
            String(decoding: closed.output, as: UTF8.self)
                == flushedText + second.map { lineText($0) + "\n" }.joined())
    }
}
