import Replay
import Testing
import Wire

/// A recorded reply moved to another working directory, without a server.
@Suite struct StubReplyRelocationTests {
    static let relocation = PathRelocation([.init(from: "/tmp/rec/work", to: "/srv/replay/here")])

    static func reply(_ pieces: [String], contentType: String) -> StubReply {
        StubReply(
            status: 200, headers: [.init(name: "Content-Type", value: contentType)],
            chunks: pieces.enumerated().map {
                .init(gapMicros: Int64($0.offset + 1) * 100, bytes: Array($0.element.utf8))
            })
    }

    @Test func aPathSplitOverEventsMovesAndTheCutsAndGapsStay() throws {
        let pieces = [
            #"data: {"delta":{"partial_json":"{\"file_path\":\"/tmp/r"}}"#,
            "\n\n",
            #"data: {"delta":{"partial_json":"ec/work/a.txt\"}"}}"# + "\n\n",
            "data: [DONE]\n\n",
        ]
        let moved = Self.reply(pieces, contentType: "text/event-stream").relocated(by: Self.relocation)
        let texts = moved.chunks.map { String(decoding: $0.bytes, as: UTF8.self) }
        let expected: [String] = [
            #"data: {"delta":{"partial_json":"{\"file_path\":\"/srv/replay/here"}}"#, "\n\n",
            #"data: {"delta":{"partial_json":"/a.txt\"}"}}"#, "\n\n", "data: [DONE]\n\n",
        ]
        #expect(texts.joined() == expected.joined())
        // The first event grew: its first piece keeps its length, the second takes the rest.
        #expect(texts[0].utf8.count == pieces[0].utf8.count)
        #expect(texts[1].hasSuffix("here\"}}\n\n"))
        #expect(texts[3] == pieces[3])
        #expect(moved.chunks.map(\.gapMicros) == [100, 200, 300, 400])
    }

    @Test func aJSONReplyHasItsStringsMoved() throws {
        let moved = Self.reply(
            [#"{"content":[{"type":"tool_use","input":{"file_path":"/tmp/rec/work/a.txt"}}]}"#],
            contentType: "application/json"
        ).relocated(by: Self.relocation)
        let body = try JSONValue(parsing: Array(moved.chunks.map(\.bytes).joined()))
        #expect(body["content"]?[0]?["input"]?["file_path"] == "/srv/replay/here/a.txt")
    }

    @Test func aReplyWithoutThePathIsUntouched() {
        let reply = Self.reply(["data: {\"text\":\"/tmp/rec/workshop\"}\n\n"], contentType: "text/event-stream")
        #expect(reply.relocated(by: Self.relocation) == reply)
    }
}
