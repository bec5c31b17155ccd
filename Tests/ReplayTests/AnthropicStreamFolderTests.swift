import SSE
import Testing
import Wire

@testable import Replay

/// `--level semantic` folds a recorded stream into its message; the
/// indexes it reads are the cassette's numbers.
@Suite struct AnthropicStreamFolderTests {
    static func event(_ type: String, _ data: String) -> SSEEvent { SSEEvent(event: type, data: data) }

    @Test func deltasFoldIntoTheirBlocks() {
        let folded = AnthropicStreamFolder.fold([
            Self.event("message_start", #"{"type":"message_start","message":{"id":"m","content":[]}}"#),
            Self.event("content_block_start", #"{"index":0,"content_block":{"type":"text","text":""}}"#),
            Self.event("content_block_delta", #"{"index":0,"delta":{"type":"text_delta","text":"Hel"}}"#),
            Self.event("content_block_delta", #"{"index":0,"delta":{"type":"text_delta","text":"lo"}}"#),
        ])
        #expect(folded["content"] == [["type": "text", "text": "Hello"]])
    }

    @Test func indexesOutsideTheBlocksAreLeftOut() {
        // -1 trapped; 1e9 padded empty blocks until memory ran out.
        let folded = AnthropicStreamFolder.fold([
            Self.event("content_block_start", #"{"index":-1,"content_block":{"type":"text","text":""}}"#),
            Self.event("content_block_delta", #"{"index":-1,"delta":{"type":"text_delta","text":"a"}}"#),
            Self.event("content_block_stop", #"{"index":-1}"#),
            Self.event("content_block_start", #"{"index":1000000000,"content_block":{"type":"text","text":""}}"#),
            Self.event("content_block_start", #"{"index":2,"content_block":{"type":"text","text":"b"}}"#),
        ])
        #expect(folded["content"] == [[:], [:], ["type": "text", "text": "b"]])
    }
}
