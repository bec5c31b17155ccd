import SSE
import TestSupport
import Testing

/// Every recorded provider stream, framed as its provider sends it, parses
/// to the same events however it is split in two.
@Suite struct SSEFixtureSplitTests {
    /// Below this size every split position is tried; above it, every
    /// position in the first and last `edge` bytes and a stride between, to
    /// keep the quadratic cost of large streams in check.
    static let exhaustiveLimit = 20_000
    static let edge = 2_048
    static let stride = 61

    static let streams: [String] = {
        let folders = ["openai-chat", "anthropic", "gemini", "openai-responses"]
        return folders.flatMap { (try? Fixtures.files(in: "providers/\($0)", suffix: ".chunks.txt")) ?? [] }
    }()

    static func splitPositions(count: Int) -> [Int] {
        guard count > exhaustiveLimit else { return Array(0...count) }
        var positions = Set(0...edge)
        positions.formUnion((count - edge)...count)
        positions.formUnion(Swift.stride(from: edge, to: count - edge, by: stride))
        return positions.sorted()
    }

    @Test func allProviderStreamsAreFound() {
        #expect(Self.streams.count >= 19, "\(Self.streams)")
    }

    @Test(arguments: streams)
    func splittingAnywhereGivesTheSameEvents(path: String) throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        var whole = SSEParser()
        let expected = whole.parse(bytes) + whole.finish()
        let payloadCount = try Fixtures.chunkPayloads(atPath: path).count
        #expect(expected.count == payloadCount + (path.contains("/openai-chat/") ? 1 : 0))
        // Pieces are handed over as buffer pointers: the same bytes, but
        // several times faster to iterate in a debug build than slices.
        bytes.withUnsafeBufferPointer { buffer in
            for split in Self.splitPositions(count: buffer.count) {
                var parser = SSEParser()
                let events =
                    parser.parse(UnsafeBufferPointer(rebasing: buffer[..<split]))
                    + parser.parse(UnsafeBufferPointer(rebasing: buffer[split...])) + parser.finish()
                if events != expected {
                    Issue.record("\(path): split at \(split) differs")
                    return
                }
            }
        }
    }
}
