import SSE
import TestSupport
import Testing

/// Every recorded provider stream, framed as its provider sends it, parses
/// to the same events however it is split in two, at every byte position.
///
/// Parsing the two pieces afresh for each of n positions costs O(n²) and is
/// too slow for the 100 KB streams, so the test uses that the parser is a
/// value: the state after a split is the one-byte-at-a-time state at that
/// position, and from there the second piece only needs parsing up to the end
/// of the frame the split falls in. If the events there and the state at that
/// frame's end equal the unsplit parse's, the rest of the stream cannot
/// differ, because the parser is deterministic from its state.
@Suite struct SSEFixtureSplitTests {
    static let folders = ["openai-chat", "anthropic", "gemini", "openai-responses"]
    static let streams: [String] = folders.flatMap {
        Fixtures.argumentFiles(in: "providers/\($0)", suffix: ".chunks.txt")
    }

    @Test func allProviderStreamsAreFound() throws {
        for folder in Self.folders {
            try Fixtures.requireFound(
                Self.streams.filter { $0.contains("/\(folder)/") }, in: "providers/\(folder)", suffix: ".chunks.txt")
        }
        #expect(Self.streams.count >= 19, "\(Self.streams)")
    }

    /// A point where the unsplit parse dispatched: the byte offset just past
    /// it, the events so far, and the parser state there.
    struct Checkpoint {
        var offset: Int
        var eventCount: Int
        var state: SSEParser
    }

    @Test(.cpuBound, arguments: streams)
    func splittingAtEveryByteGivesTheSameEvents(path: String) async throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        var whole = SSEParser()
        let expected = whole.parse(bytes) + whole.finish()
        let payloadCount = try Fixtures.chunkPayloads(atPath: path).count
        #expect(expected.count == payloadCount + (path.contains("/openai-chat/") ? 1 : 0))

        bytes.withUnsafeBufferPointer { buffer in
            // Pass 1: one byte at a time, noting each dispatch.
            var reference = SSEParser()
            var produced: [SSEEvent] = []
            var checkpoints: [Checkpoint] = []
            for offset in 0..<buffer.count {
                let events = reference.parse(UnsafeBufferPointer(rebasing: buffer[offset..<offset + 1]))
                produced += events
                if !events.isEmpty {
                    checkpoints.append(Checkpoint(offset: offset + 1, eventCount: produced.count, state: reference))
                }
            }
            produced += reference.finish()
            #expect(produced == expected, "\(path): byte-at-a-time parse differs")

            // Pass 2: a split at every position.
            var prefix = SSEParser()
            var prefixEvents = 0
            var next = 0
            for split in 0...buffer.count {
                if split > 0 {
                    prefixEvents += prefix.parse(UnsafeBufferPointer(rebasing: buffer[split - 1..<split])).count
                }
                while next < checkpoints.count, checkpoints[next].offset < split { next += 1 }
                var parser = prefix
                var events = Array(expected[0..<prefixEvents])
                if next < checkpoints.count {
                    let checkpoint = checkpoints[next]
                    events += parser.parse(UnsafeBufferPointer(rebasing: buffer[split..<checkpoint.offset]))
                    guard events == Array(expected[0..<checkpoint.eventCount]), parser == checkpoint.state else {
                        Issue.record("\(path): split at \(split) differs")
                        return
                    }
                } else {
                    events += parser.parse(UnsafeBufferPointer(rebasing: buffer[split...])) + parser.finish()
                    guard events == expected else {
                        Issue.record("\(path): split at \(split) differs")
                        return
                    }
                }
            }
        }
    }
}
