import Convert
import SSE
import TestSupport
import Testing
import Wire

@Suite struct AnthropicStreamRelayTests {
    static let chunkFiles: [String] = Fixtures.argumentFiles(in: "providers/anthropic", suffix: ".chunks.txt")

    @Test func fixturesAreFound() throws {
        try Fixtures.requireFound(Self.chunkFiles, in: "providers/anthropic", suffix: ".chunks.txt", atLeast: 5)
    }

    @Test(arguments: chunkFiles)
    func everyAnthropicStreamPassesThroughValidly(path: String) throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        let whole = convertStream(bytes, route: TestRoutes.anthropic)
        #expect(violations(whole) == [], "\(path)")
        #expect(convertStream(bytes, route: TestRoutes.anthropic, sliceSize: 5) == whole)
    }

    @Test func eventsOtherThanMessageStartAreRelayedByteForByte() throws {
        let path = try Fixtures.path("providers/anthropic/anthropic-text.chunks.txt")
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        var parser = SSEParser()
        let upstream = parser.parse(bytes) + parser.finish()
        let relayed = convertStream(bytes, route: TestRoutes.anthropic)
        #expect(relayed.count == upstream.count)
        #expect(Array(relayed.dropFirst()) == Array(upstream.dropFirst()))
        let start = try JSONValue(parsing: relayed[0].data)
        #expect(start["message"]?["model"] == "claude-test")
        var expectedStart = try JSONValue(parsing: upstream[0].data)
        expectedStart["message"]?["model"] = "claude-test"
        #expect(relayed[0].data == expectedStart.serializedString(), "key order kept")
    }

    @Test func duplicateMessageStartIsDropped() throws {
        let path = try Fixtures.path("providers/anthropic/duplicate-message-start.chunks.txt")
        let events = convertStream(try Fixtures.sseBytes(chunksFile: path), route: TestRoutes.anthropic)
        #expect(events.filter { $0.event == "message_start" }.count == 1)
        #expect(
            events.map(\.event) == [
                "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
                "message_stop",
            ])
    }

    @Test func usageIsTrackedFromMessageStartAndMessageDelta() throws {
        let path = try Fixtures.path("providers/anthropic/anthropic-message-delta-input-tokens.chunks.txt")
        var converter = UpstreamStreamConverter(route: TestRoutes.anthropic, requestedModel: "claude-test")
        _ = converter.receive(try Fixtures.sseBytes(chunksFile: path))
        _ = converter.finish(error: nil)
        #expect(converter.usage == ["input_tokens": 61, "output_tokens": 2])
    }

    @Test func unnamedEventsGetTheirTypeAsName() {
        let bytes = Array(
            "data: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-test\",\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1}}\n\ndata: {\"type\":\"message_stop\"}\n\n"
                .utf8)
        let events = convertStream(bytes, route: TestRoutes.anthropic)
        #expect(events.map(\.event) == ["message_start", "message_delta", "message_stop"])
        #expect(violations(events) == [])
    }

    @Test func streamCutBeforeMessageStopEndsWithAnError() throws {
        let path = try Fixtures.path("providers/anthropic/anthropic-text.chunks.txt")
        let payloads = try Fixtures.chunkPayloads(atPath: path)
        let cut = Fixtures.sseBytes(payloads: Array(payloads.prefix(4)), framing: .namedByType)
        let events = convertStream(cut, route: TestRoutes.anthropic)
        #expect(violations(events) == [])
        #expect(events.last?.event == "error")
        #expect(events.count == 5)
    }

    @Test func upstreamErrorEventIsTheLastEvent() {
        let bytes = Array(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\n"
                .utf8)
        let events = convertStream(bytes, route: TestRoutes.anthropic)
        #expect(events.map(\.event) == ["error"])
        #expect(violations(events) == [])
    }
}
