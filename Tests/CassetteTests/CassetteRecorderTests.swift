import Foundation
import SSE
import TestSupport
import Testing
import Wire

@testable import Cassette

@Suite struct CassetteRecorderTests {
    @Test func concurrentExchangesStayLinkedAndInOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path)
        let exchanges = 50
        let eventsPerExchange = 40
        await withTaskGroup(of: Void.self) { group in
            for exchange in 0..<exchanges {
                group.addTask {
                    let id = "ex-\(exchange)"
                    for step in 0..<eventsPerExchange {
                        if step == eventsPerExchange - 1 {
                            recorder.record(
                                .end(
                                    exchange: id, timeMicros: Int64(step), outcome: .ok, status: 200,
                                    durationMicros: Int64(step), ttfbMicros: 1, usage: nil,
                                    droppedEvents: recorder.takeDroppedSinceLastEnd()))
                        } else if step.isMultiple(of: 2) {
                            recorder.record(
                                .upstreamChunk(
                                    exchange: id, timeMicros: Int64(step), bytes: Array("\(id)/\(step)".utf8)))
                        } else {
                            // Queued as values, rendered on the writer thread; interleaved with
                            // whole events, the order must still be the order of the calls.
                            recorder.record(
                                exchange: id, timeMicros: Int64(step),
                                .upstreamChunk(bytes: Array("\(id)/\(step)".utf8)))
                        }
                    }
                }
            }
        }
        await recorder.close()
        #expect(recorder.droppedEvents == 0)
        #expect(recorder.writeError == nil)

        let files = try CassetteReader.cassetteFiles(in: [directory.path])
        #expect(files == recorder.files)
        let contents = try CassetteReader.read(path: try #require(files.first))
        #expect(contents.tornTail == nil)
        #expect(contents.events.count == exchanges * eventsPerExchange)
        let byExchange = Dictionary(grouping: contents.events) { $0.exchange ?? "" }
        #expect(byExchange.count == exchanges)
        for (id, events) in byExchange {
            #expect(events.map(\.timeMicros) == (0..<eventsPerExchange).map { Int64($0) }, "\(id)")
            for event in events.dropLast() {
                #expect(event.chunkBytes == Array("\(id)/\(event.timeMicros!)".utf8))
            }
            #expect(events.last?.knownKind == .end)
        }
    }

    @Test func aFullQueueDropsAndCounts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path, queueCapacity: 4)
        recorder.holdWriter()
        for step in 0..<10 {
            recorder.record(.upstreamChunk(exchange: "d", timeMicros: Int64(step), bytes: [UInt8(step)]))
        }
        #expect(recorder.droppedEvents == 6)
        #expect(recorder.takeDroppedSinceLastEnd() == 6)
        #expect(recorder.takeDroppedSinceLastEnd() == 0)
        recorder.releaseWriter()
        await recorder.close()
        recorder.record(.upstreamChunk(exchange: "d", timeMicros: 99, bytes: []))
        #expect(recorder.droppedEvents == 7)
        #expect(recorder.takeDroppedSinceLastEnd() == 1)

        let contents = try CassetteReader.read(path: try #require(recorder.files.first))
        #expect(contents.events.map(\.timeMicros) == [0, 1, 2, 3])
    }

    /// Lines queued together take as many places in the queue, are
    /// dropped whole when they do not fit, and are written in order.
    @Test func linesQueuedTogetherAreCountedAndWrittenTogether() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path, queueCapacity: 4)
        recorder.holdWriter()
        func chunks(_ bytes: [UInt8]) -> [CassetteLine] { bytes.map { .upstreamChunk(bytes: [$0]) } }
        recorder.record(.upstreamChunk(exchange: "m", timeMicros: 0, bytes: [0]))
        recorder.record(exchange: "m", timeMicros: 1, lines: chunks([1, 2]))
        recorder.record(exchange: "m", timeMicros: 3, lines: chunks([3, 4]))  // 3 queued + 2 > 4: both dropped
        recorder.record(exchange: "m", timeMicros: 5, lines: chunks([]))  // nothing to record
        recorder.record(exchange: "m", timeMicros: 6, .upstreamChunk(bytes: [6]))
        #expect(recorder.takeDroppedSinceLastEnd() == 2)
        recorder.releaseWriter()
        await recorder.close()
        let contents = try CassetteReader.read(path: try #require(recorder.files.first))
        #expect(contents.events.map(\.timeMicros) == [0, 1, 1, 6])
        #expect(contents.events.map(\.chunkBytes) == [[0], [1], [2], [6]])
    }

    /// Once the queue holds its byte capacity, lines are dropped however
    /// few there are: a stalled disk must not take the proxy's memory.
    @Test func aQueueHoldingItsByteCapacityDropsAndCounts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path, queueByteCapacity: 1000)
        recorder.holdWriter()
        let large = [UInt8](repeating: UInt8(ascii: "a"), count: 1500)
        recorder.record(exchange: "b", timeMicros: 0, .upstreamChunk(bytes: large))  // the queue was empty
        recorder.record(exchange: "b", timeMicros: 1, .upstreamChunk(bytes: [1]))
        recorder.record(exchange: "b", timeMicros: 2, .upstreamChunk(bytes: [2]))
        #expect(recorder.takeDroppedSinceLastEnd() == 2)
        recorder.releaseWriter()
        recorder.flush()
        // Written out, the queue has room again.
        let path = try #require(recorder.files.first)
        _ = try Self.read(path, until: { $0.events.count == 1 })
        recorder.record(exchange: "b", timeMicros: 3, .upstreamChunk(bytes: [3]))
        await recorder.close()
        let contents = try CassetteReader.read(path: path)
        #expect(contents.events.map(\.timeMicros) == [0, 3])
        #expect(contents.events.first?.chunkBytes == large)
        #expect(recorder.droppedEvents == 2)
    }

    /// A body is queued by reference, not copied: its bytes still count
    /// toward the queue's byte capacity.
    @Test func aQueuedBodyCountsTowardTheByteCapacity() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path, queueByteCapacity: 1000)
        recorder.holdWriter()
        let large = Array(#"{"text":"\#(String(repeating: "b", count: 1500))"}"#.utf8)
        recorder.record(exchange: "c", timeMicros: 0, .clientResponse(status: 200, headers: [:], body: large))
        recorder.record(exchange: "c", timeMicros: 1, .upstreamChunk(bytes: [1]))
        #expect(recorder.takeDroppedSinceLastEnd() == 1)
        recorder.releaseWriter()
        await recorder.close()
        let contents = try CassetteReader.read(path: try #require(recorder.files.first))
        #expect(contents.events.map(\.timeMicros) == [0])
        #expect(contents.events.first?["body"]?.serialized() == large)
    }

    /// The queue copies a line's values and the writer thread renders them:
    /// the file must hold the very bytes the same lines give when rendered
    /// at once, for every kind and every field (a `started` time, an SSE
    /// frame's id and retry, bodies that are not JSON, a chunk split inside
    /// a UTF-8 sequence, and request bodies whose parts go to blobs).
    @Test func queuedLinesAreWrittenAsTheirEventsWouldBe() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let prompt = String(repeating: "a long system prompt, ", count: 80)
        let largeBody = Array(#"{"model":"m","system":"\#(prompt)","messages":[]}"#.utf8)
        let oddBody = Array(#"{"system":"\#(prompt)","max_tokens":1.50}"#.utf8)
        let lines =
            sampleLines() + [
                (
                    500,
                    .clientRequest(
                        method: "POST", path: "/v1/messages", query: nil, headers: [:], started: nil, body: largeBody)
                ),
                (501, .upstreamRequest(method: "POST", url: "http://u/v1", headers: [:], body: largeBody)),
                // The same part, now stored, beside a member that is not in
                // serialized form: the body is still re-serialized.
                (502, .upstreamRequest(method: "POST", url: "http://u/v1", headers: [:], body: oddBody)),
            ]
        func record(_ name: String, _ queue: (CassetteRecorder) -> Void) async throws -> [Substring] {
            let recorder = try CassetteRecorder(directory: directory.file(name))
            queue(recorder)
            await recorder.close()
            var bytes: [UInt8] = []
            #expect(LZ4FrameDecoder.decode(try fileBytes(try #require(recorder.files.first)), into: &bytes) == nil)
            return String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst().map { $0 }
        }
        let queued = try await record("queued") { recorder in
            for (time, line) in lines { recorder.record(exchange: "q", timeMicros: time, line) }
        }
        let rendered = try await record("rendered") { recorder in
            for (time, line) in lines { recorder.record(CassetteEvent(exchange: "q", timeMicros: time, line)) }
        }
        #expect(queued.count == lines.count + 1)  // one blob line
        #expect(queued.contains { $0.hasPrefix(#"{"kind":"blob""#) })
        #expect(queued.last?.contains(#""max_tokens":1.5}"#) == true)
        #expect(queued == rendered)
    }

    /// A stream's frames queued as they are become the very `client_event`
    /// lines their events give, whichever way each frame was made: appended
    /// as an event (id, retry, data of two lines), written as bytes (named
    /// or not, JSON or not), relayed as it came (JSON with spaces stays
    /// text); and they take a place each in the queue.
    @Test func queuedFramesAreWrittenAsTheirEventsWouldBe() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var frames = SSEFrames()
        frames.append(SSEEvent(event: "e", data: "first\nsecond", id: "7", retry: 10))
        frames.append(SSEEvent(data: #"{"a":"\u00e9"}"#))
        frames.append(event: "message_start") { $0.append(contentsOf: #"{"type":"message_start","x":"é"}"#.utf8) }
        frames.append(event: nil) { $0.append(contentsOf: "plain text \"quoted\"".utf8) }
        frames.append(SSERawEvent(event: "content_block_delta", data: Array(#"{"a": 1}"#.utf8)))
        frames.append(SSERawEvent(data: Array(#"[1,2]"#.utf8)))
        #expect(frames.count == 6)
        func record(_ name: String, _ queue: (CassetteRecorder) -> Void) async throws -> (String, [Substring]) {
            let recorder = try CassetteRecorder(directory: directory.file(name))
            queue(recorder)
            await recorder.close()
            let path = try #require(recorder.files.first)
            var bytes: [UInt8] = []
            #expect(LZ4FrameDecoder.decode(try fileBytes(path), into: &bytes) == nil)
            return (path, String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst().map { $0 })
        }
        let (path, queued) = try await record("frames") {
            $0.record(exchange: "f", timeMicros: 9, clientEvents: frames)
        }
        let (_, rendered) = try await record("events") { recorder in
            for event in frames.events { recorder.record(.clientEvent(exchange: "f", timeMicros: 9, event: event)) }
        }
        #expect(queued.count == 6)
        #expect(queued == rendered)
        let readBack = try CassetteReader.read(path: path)
        #expect(readBack.events.compactMap(\.sseEvent) == frames.events)
        #expect(queued[2].contains(#""data":{"type":"message_start","x":"é"}"#))
        #expect(queued[4].contains(#""event":"content_block_delta","data_text":"{\"a\": 1}""#))

        let full = try CassetteRecorder(directory: directory.file("full"), queueCapacity: 7)
        full.holdWriter()
        full.record(exchange: "f", timeMicros: 0, .upstreamChunk(bytes: [1]))
        full.record(exchange: "f", timeMicros: 1, clientEvents: frames)
        full.record(exchange: "f", timeMicros: 2, clientEvents: frames)  // 7 queued + 6 > 7: all dropped
        #expect(full.takeDroppedSinceLastEnd() == 6)
        full.releaseWriter()
        await full.close()
        #expect(
            try CassetteReader.read(path: try #require(full.files.first)).events.map(\.timeMicros) == [0]
                + Array(repeating: 1, count: 6))
    }

    /// An `end` line is flushed without waiting for close(): poll the file
    /// (not timing-sensitive: it only has to happen, the deadline is generous).
    @Test func anEndLineIsFlushedWithoutClosing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path, flushInterval: .seconds(3600))
        let path = try #require(recorder.files.first)
        for event in sampleExchange(id: "f") { recorder.record(event) }
        var contents = try Self.read(path, until: { $0.events.count == sampleExchange(id: "f").count })
        #expect(contents.events == sampleExchange(id: "f"))
        #expect(contents.tornTail?.contains("no end mark") == true)
        // By now the writer has found the queue empty and blocks: the next
        // exchange must wake it, though nothing else will for an hour.
        usleep(50_000)
        for event in sampleExchange(id: "g") { recorder.record(event) }
        contents = try Self.read(path, until: { $0.events.count == 2 * sampleExchange(id: "f").count })
        #expect(contents.events == sampleExchange(id: "f") + sampleExchange(id: "g"))
        await recorder.close()
    }

    /// Reads `path` until `done` holds or 30 s pass; the last read.
    private static func read(_ path: String, until done: (CassetteContents) -> Bool) throws -> CassetteContents {
        let deadline = Date().addingTimeInterval(30)
        var contents = try CassetteReader.read(path: path)
        while !done(contents) && Date() < deadline {
            usleep(5_000)
            contents = try CassetteReader.read(path: path)
        }
        return contents
    }

    @Test func closeEndsTheFrameAndCanBeRepeated() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path)
        recorder.record(.upstreamChunk(exchange: "c", timeMicros: 0, bytes: Array("x".utf8)))
        await recorder.close()
        await recorder.close()
        let contents = try CassetteReader.read(path: try #require(recorder.files.first))
        #expect(contents.tornTail == nil)
        #expect(contents.events.count == 1)
    }

    /// close() suspends rather than blocking a thread: many callers at once,
    /// more than the shared pool has threads, all get through, and the
    /// frame is ended once.
    @Test func concurrentClosersAllReturn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = try CassetteRecorder(directory: directory.path)
        for event in sampleExchange(id: "k") { recorder.record(event) }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<32 { group.addTask { await recorder.close() } }
        }
        let contents = try CassetteReader.read(path: try #require(recorder.files.first))
        #expect(contents.tornTail == nil)
        #expect(contents.events == sampleExchange(id: "k"))
    }

    @Test func anUnwritableDirectoryFailsClearly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = directory.file("file")
        try writeFile(blocker, [])
        do {
            _ = try CassetteRecorder(directory: blocker + "/cassettes")
            Issue.record("expected an error")
        } catch let error as CassetteWriteError {
            #expect(error.path == blocker + "/cassettes")
            #expect(error.description.hasPrefix("cassette \(blocker)/cassettes: cannot create the directory"))
        }
    }

    /// The secrets a client and a route send appear nowhere in the
    /// decompressed cassette, only their fingerprints.
    @Test func secretsNeverReachTheFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clientKey = "sk-ant-api03-CLIENTSECRET-abcdef"
        let upstreamKey = "sk-proj-UPSTREAMSECRET-123456"
        let geminiKey = "AIzaSyGEMINISECRET-xyz"
        let redactor = Redactor(extraHeaders: ["x-custom-auth"])
        let recorder = try CassetteRecorder(directory: directory.path)
        recorder.record(
            .clientRequest(
                exchange: "s", timeMicros: 0, method: "POST", path: "/v1/messages", query: nil,
                headers: redactor.headers([
                    (name: "X-Api-Key", value: clientKey), (name: "Authorization", value: "Bearer \(clientKey)"),
                    (name: "Cookie", value: "sid=\(clientKey)"), (name: "x-custom-auth", value: upstreamKey),
                ]),
                body: Array(#"{"model":"m"}"#.utf8)))
        recorder.record(
            .upstreamRequest(
                exchange: "s", timeMicros: 1, method: "POST",
                url: redactor.url("https://example.test/v1beta/models/g:generateContent?key=\(geminiKey)&alt=sse"),
                headers: redactor.headers([
                    (name: "authorization", value: "Bearer \(upstreamKey)"), (name: "x-goog-api-key", value: geminiKey),
                    (name: "api-key", value: upstreamKey),
                ]),
                body: []))
        recorder.record(
            .upstreamResponse(
                exchange: "s", timeMicros: 2, status: 200,
                headers: redactor.headers([(name: "set-cookie", value: "token=\(upstreamKey)")])))
        await recorder.close()

        let path = try #require(recorder.files.first)
        let tool = try await LZ4Tool.decompress(path)
        #expect(tool.status == 0)
        let text = String(decoding: tool.output, as: UTF8.self)
        for secret in ["CLIENTSECRET", "UPSTREAMSECRET", "GEMINISECRET"] {
            #expect(!text.contains(secret), "\(secret) reached the cassette")
        }
        #expect(text.contains(Redactor.fingerprint(clientKey)))
        #expect(text.contains("Bearer " + Redactor.fingerprint(upstreamKey)))
        #expect(text.contains("key=" + Redactor.fingerprint(geminiKey) + "&alt=sse"))
    }
}
