import Foundation
import SSE
import TestSupport
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
        // A line's start is written as one piece when nothing in it needs
        // escaping and it is short; these take the general way, or sit at
        // the edges of the short one.
        let starts = [
            CassetteEvent(.diagnostic, exchange: String(repeating: "x", count: 118), timeMicros: .min, fields: [:]),
            CassetteEvent(.diagnostic, exchange: String(repeating: "x", count: 119), timeMicros: .max, fields: [:]),
            CassetteEvent(.diagnostic, exchange: "tab\there", timeMicros: 0, fields: [:]),
            CassetteEvent(.diagnostic, exchange: "é", timeMicros: 10, fields: [:]),
            CassetteEvent(.diagnostic, exchange: nil, timeMicros: 10, fields: [:]),
            CassetteEvent(.diagnostic, exchange: "e", timeMicros: nil, fields: [:]),
        ]
        for event in sampleExchange(id: "w") + starts + [shadowed, CassetteFormat.header(started: .now, pid: 1)] {
            var line: [UInt8] = []
            event.writeLine(to: &line)
            #expect(line == event.json.serialized() + [0x0A])
        }
    }

    /// The recorder's lines are written straight to text (RenderedFields):
    /// this pins that text, field order included, for every way a body, a
    /// chunk or a frame can be stored.
    @Test func constructorsWriteTheDocumentedLines() {
        let started = Date(timeIntervalSince1970: 1_795_000_000.25)
        let lines: [(CassetteEvent, String)] = [
            (
                .clientRequest(
                    exchange: "e", timeMicros: 1, method: "POST", path: "/v1/messages", query: nil,
                    headers: ["x-api-key": "[redacted:0]"], started: started, body: Array(#"{ "a": [1, 2.50] }"#.utf8)),
                #"{"kind":"client_request","x":"e","t_us":1,"method":"POST","path":"/v1/messages","query":null,"#
                    + #""headers":{"x-api-key":"[redacted:0]"},"started":"2026-11-18T11:06:40.250Z","body":{"a":[1,2.5]}}"#
            ),
            (
                .upstreamRequest(
                    exchange: "e", timeMicros: 2, method: "GET", url: "http://h/p?q=1", headers: [:],
                    body: Array("not json".utf8)),
                #"{"kind":"upstream_request","x":"e","t_us":2,"method":"GET","url":"http://h/p?q=1","headers":{},"#
                    + #""body_text":"not json"}"#
            ),
            (
                .clientResponse(exchange: "e", timeMicros: 3, status: 400, headers: [:], body: [0xFF]),
                #"{"kind":"client_response","x":"e","t_us":3,"status":400,"headers":{},"body_b64":"/w=="}"#
            ),
            (
                .clientResponse(exchange: "e", timeMicros: 3, status: 200, headers: [:], body: Array("[1]".utf8)),
                #"{"kind":"client_response","x":"e","t_us":3,"status":200,"headers":{},"body":[1]}"#
            ),
            (
                .upstreamChunk(exchange: "e", timeMicros: 4, bytes: Array("a\"\n".utf8)),
                #"{"kind":"upstream_chunk","x":"e","t_us":4,"text":"a\"\n"}"#
            ),
            (
                .upstreamChunk(exchange: "e", timeMicros: 5, bytes: [0xE2, 0x82]),
                #"{"kind":"upstream_chunk","x":"e","t_us":5,"b64":"4oI="}"#
            ),
            (
                .clientEvent(exchange: "e", timeMicros: 6, event: SSEEvent(event: nil, data: #"{"b": 1}"#, retry: 9)),
                #"{"kind":"client_event","x":"e","t_us":6,"event":null,"data_text":"{\"b\": 1}","retry":9}"#
            ),
            (
                .route(
                    exchange: "e", timeMicros: 7, modelID: "m", upstream: "u", options: ["k": true],
                    requestedModel: "r", upstreamName: "m (u)"),
                #"{"kind":"route","x":"e","t_us":7,"model_id":"m","upstream":"u","options":{"k":true},"#
                    + #""requested_model":"r","upstream_name":"m (u)"}"#
            ),
            (
                .error(
                    exchange: "e", timeMicros: 8, stage: .route, type: "not_found_error", message: "m", status: nil),
                #"{"kind":"error","x":"e","t_us":8,"stage":"route","type":"not_found_error","message":"m","status":null}"#
            ),
            (
                .end(
                    exchange: "e", timeMicros: 9, outcome: .ok, status: 200, durationMicros: 9, ttfbMicros: nil,
                    usage: nil, droppedEvents: 2),
                #"{"kind":"end","x":"e","t_us":9,"outcome":"ok","status":200,"duration_us":9,"ttfb_us":null,"#
                    + #""usage":null,"dropped_events":2}"#
            ),
        ]
        for (event, expected) in lines {
            var line: [UInt8] = []
            event.writeLine(to: &line)
            #expect(String(decoding: line, as: UTF8.self) == expected + "\n")
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

    /// The proxy accepts a body nested as deep as its parser allows; the
    /// line around it is one level deeper and must still read back.
    @Test func theDeepestAcceptedBodyAndFrameReadBack() throws {
        let depth = JSONValue.maximumNestingDepth
        let deepest = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        #expect((try? JSONValue(parsing: deepest)) != nil)
        #expect((try? JSONValue(parsing: [UInt8(ascii: "[")] + deepest + [UInt8(ascii: "]")])) == nil)
        let request = CassetteEvent.clientRequest(
            exchange: "d", timeMicros: 1, method: "POST", path: "/v1/messages", query: nil, headers: [:],
            body: deepest)
        let frame = CassetteEvent.clientEvent(
            exchange: "d", timeMicros: 2, event: SSEEvent(event: nil, data: String(decoding: deepest, as: UTF8.self)))
        #expect(request.bodyBytes == deepest)
        #expect(frame.sseEvent?.data == String(decoding: deepest, as: UTF8.self))

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("deep.jsonl.lz4")
        let writer = try CassetteWriter(file: path)
        try writer.write(request)
        try writer.write(frame)
        try writer.close()
        let events = try CassetteReader.read(path: path).events
        #expect(events == [request, frame])
        #expect(events.first?.bodyBytes == deepest)
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
    @Test func theLZ4ToolReadsOpenAndClosedCassettes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try CassetteWriter(directory: directory.path)
        let path = try #require(writer.currentFile)
        let first = sampleExchange(id: "open")
        for event in first { try writer.write(event) }
        try writer.flush()
        let header = try #require(try CassetteReader.read(path: path).header)
        let flushedText = ([header] + first).map { lineText($0) + "\n" }.joined()

        let whileOpen = try await LZ4Tool.decompress(path)
        #expect(String(decoding: whileOpen.output, as: UTF8.self) == flushedText)

        let second = sampleExchange(id: "closed")
        for event in second { try writer.write(event) }
        try writer.close()
        let closed = try await LZ4Tool.decompress(path)
        #expect(closed.status == 0)
        #expect(
            String(decoding: closed.output, as: UTF8.self)
                == flushedText + second.map { lineText($0) + "\n" }.joined())
    }
}
