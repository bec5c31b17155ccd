import SSE
import TestSupport
import Testing
import Wire

@testable import Convert

/// `message_start` as the relay sends it to an Anthropic client: its
/// `message.model` string replaced in the bytes, every other byte as it
/// came; an event the reader leaves to the tree written from its tree.
@Suite struct MessageStartRenameTests {
    /// What parsing, renaming `message.model` and serializing writes.
    private func serializedRename(_ data: String, to model: String) throws -> [UInt8] {
        var payload = try JSONValue(parsing: data)
        payload["message"]?["model"] = .string(model)
        return payload.serialized()
    }

    /// The data the relay sends for a `message_start` holding `data`.
    private func relayed(_ data: String, to model: String) throws -> [UInt8] {
        var relay = AnthropicStreamRelay(requestedModel: model, upstreamName: "up")
        let event = relay.receive(SSERawEvent(event: "message_start", data: Array(data.utf8)))
        return try #require(event).data
    }

    @Test(arguments: [
        #"{"type":"message_start","message":{"id":"m","type":"message","model":"up","content":[],"usage":{"input_tokens":1}}}"#,
        #"{"message":{"model":"a\"bé","stop":null},"type":"message_start"}"#,
        #"{"type":"message_start","message":{"model":"","model":"second"}}"#,
        #"{"type":"message_start","message":{"content":[{"model":"inner"}],"model":"up"}}"#,
        #"{"type":"message_start","message":{"model":"up"},"message":{"model":"other"}}"#,
    ])
    func dataInSerializedFormIsRenamedAsSerializingWould(data: String) throws {
        #expect(try relayed(data, to: "claude-\"q\" ✓") == (try serializedRename(data, to: "claude-\"q\" ✓")))
    }

    /// Spaces, a number spelled otherwise, an escape: kept as they came.
    @Test(arguments: [
        #"{"type": "message_start","message":{"model":"up"}}"#,
        #"{"type":"message_start","message":{"model":"up","n":1.50}}"#,
        #"{"type":"message_start","message":{"model" : "\u00e9" , "usage":{"input_tokens" : 3}}}"#,
    ])
    func dataInAnyOtherFormKeepsItsOtherBytes(data: String) throws {
        let sent = try relayed(data, to: "claude-test")
        #expect(try JSONValue(parsing: sent) == JSONValue(parsing: try serializedRename(data, to: "claude-test")))
        let model = try #require(AnthropicStreamRelay.readMessageStart(Array(data.utf8))?.model)
        var expected = Array(data.utf8)
        expected.replaceSubrange(model.value, with: Array(#""claude-test""#.utf8))
        #expect(sent == expected)
    }

    @Test(arguments: [
        #"{"type":"message_start","message":{"model":7}}"#,
        #"{"type":"message_start","message":{"id":"m"}}"#,
        #"{"type":"message_start","message":["model"]}"#,
        #"{"type":"message_start"}"#,
        #"{"type":"message_start","message":{"model":"up"}"#,
        #"{"type":"message_start","message":{"model":"claude-test"}}"#,
    ])
    func nothingToRenameIsSentAsItCame(data: String) throws {
        #expect(try relayed(data, to: "claude-test") == Array(data.utf8))
    }

    @Test func theUsageIsReadWhicheverWayTheEventGoes() throws {
        for data in [
            #"{"type":"message_start","message":{"model":"up","usage":{"input_tokens":5,"output_tokens":1}}}"#,
            #"{"type":"message_start","message":{"model":"up","model":"x","usage":{"input_tokens":5,"output_tokens":1}}}"#,
        ] {
            var relay = AnthropicStreamRelay(requestedModel: "claude-test", upstreamName: "up")
            _ = relay.receive(SSERawEvent(event: "message_start", data: Array(data.utf8)))
            #expect(relay.usage == ["input_tokens": 5, "output_tokens": 1], "\(data)")
            let delta = #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"#
            _ = relay.receive(SSERawEvent(event: "message_delta", data: Array(delta.utf8)))
            #expect(relay.usage == ["input_tokens": 5, "output_tokens": 9], "\(data)")
        }
    }

    @Test(arguments: AnthropicStreamRelayTests.chunkFiles)
    func everyRecordedMessageStartIsRenamedAsSerializingWould(path: String) throws {
        var parser = SSEParser()
        let starts = (parser.parse(try Fixtures.sseBytes(chunksFile: path)) + parser.finish())
            .filter { $0.event == "message_start" }
        for start in starts {
            #expect(AnthropicStreamRelay.readMessageStart(Array(start.data.utf8)) != nil, "\(path)")
            guard JSONValue.isSerializedForm(start.data) else { continue }
            #expect(try relayed(start.data, to: "claude-test") == (try serializedRename(start.data, to: "claude-test")))
        }
    }
}
