import SSE
import TestSupport
import Testing
import Wire

@testable import Convert

/// `message_start` renamed in its bytes must be what parsing it, renaming
/// `message.model` and serializing writes; data in any other form is left
/// to that.
@Suite struct MessageStartRenameTests {
    /// What the relay wrote before the bytes were renamed in place.
    private func serializedRename(_ data: String, to model: String) throws -> [UInt8] {
        var payload = try JSONValue(parsing: data)
        payload["message"]?["model"] = .string(model)
        return payload.serialized()
    }

    @Test(arguments: [
        #"{"type":"message_start","message":{"id":"m","type":"message","model":"up","content":[],"usage":{"input_tokens":1}}}"#,
        #"{"message":{"model":"a\"bé","stop":null},"type":"message_start"}"#,
        #"{"type":"message_start","message":{"model":"","model":"second"}}"#,
        #"{"type":"message_start","message":{"content":[{"model":"inner"}],"model":"up"}}"#,
        #"{"type":"message_start","message":{"model":"up"},"message":{"model":"other"}}"#,
    ])
    func dataInSerializedFormIsRenamedInPlace(data: String) throws {
        let renamed = try #require(AnthropicStreamRelay.renamingModel(in: Array(data.utf8), to: "claude-\"q\" ✓"))
        #expect(renamed == (try serializedRename(data, to: "claude-\"q\" ✓")))
    }

    @Test(arguments: [
        #"{"type": "message_start","message":{"model":"up"}}"#,
        #"{"type":"message_start","message":{"model":"up","n":1.50}}"#,
        #"{"type":"message_start","message":{"model":"\u00e9"}}"#,
        #"{"type":"message_start","message":{"model":7}}"#,
        #"{"type":"message_start","message":{"id":"m"}}"#,
        #"{"type":"message_start","message":["model"]}"#,
        #"{"type":"message_start"}"#,
        #"{"type":"message_start","message":{"model":"up"}"#,
    ])
    func dataInAnyOtherFormIsLeftToTheSerializer(data: String) {
        #expect(AnthropicStreamRelay.renamingModel(in: Array(data.utf8), to: "claude-test") == nil)
    }

    @Test(arguments: AnthropicStreamRelayTests.chunkFiles)
    func everyRecordedMessageStartIsRenamedAsSerializingWould(path: String) throws {
        var parser = SSEParser()
        let starts = (parser.parse(try Fixtures.sseBytes(chunksFile: path)) + parser.finish())
            .filter { $0.event == "message_start" }
        for start in starts where JSONValue.isSerializedForm(start.data) {
            let renamed = AnthropicStreamRelay.renamingModel(in: Array(start.data.utf8), to: "claude-test")
            #expect(renamed == (try serializedRename(start.data, to: "claude-test")), "\(path)")
        }
    }
}
