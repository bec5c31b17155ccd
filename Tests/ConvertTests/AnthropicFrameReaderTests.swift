import SSE
import TestSupport
import Testing
import Wire

@testable import Convert

@Suite struct AnthropicFrameReaderTests {
    /// The event read the general way: the payload parsed, then read.
    private func general(_ data: String) throws -> AnthropicStreamEvent {
        AnthropicStreamEvent(payload: try JSONValue(parsing: data))
    }

    @Test(arguments: AnthropicStreamRelayTests.chunkFiles)
    func everyFrameReadGivesTheGeneralEvent(path: String) throws {
        var parser = SSEParser()
        let frames = parser.parse(try Fixtures.sseBytes(chunksFile: path)) + parser.finish()
        for frame in frames {
            guard let read = AnthropicFrameReader.event(Array(frame.data.utf8)) else { continue }
            #expect(read == (try general(frame.data)), "\(path): \(frame.data)")
        }
    }

    @Test func anthropicsContentFramesAreRead() throws {
        let path = try Fixtures.path("providers/anthropic/anthropic-text.chunks.txt")
        var parser = SSEParser()
        let frames = parser.parse(try Fixtures.sseBytes(chunksFile: path)) + parser.finish()
        let content = frames.filter { $0.event?.hasPrefix("content_block_") == true }
        #expect(!content.isEmpty)
        for frame in content { #expect(AnthropicFrameReader.event(Array(frame.data.utf8)) != nil, "\(frame.data)") }
    }

    @Test(arguments: [
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#,
        #"{"type":"content_block_delta","index":12,"delta":{"type":"text_delta","text":""}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\"b\\c\nd\u00e9\ud83d\ude00"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"héllo ✓"}}"#,
        #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Par"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me see."}}"#,
        #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
        #"{"type":"content_block_stop","index":3}"#,
        #"{"type":"content_block_stop","index":999999999}"#,
    ])
    func canonicalShapesAreRead(data: String) throws {
        let read = try #require(AnthropicFrameReader.event(Array(data.utf8)))
        #expect(read == (try general(data)))
    }

    @Test(arguments: [
        // Spaces, members added or in another order, other block types: read the general way.
        #"{"type": "content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","x":1}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"x":1}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"text":"a","type":"text_delta"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"s"}}"#,
        #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"","citations":[]}}"#,
        #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"n","input":{}}}"#,
        #"{"type":"content_block_stop","index":0} "#,
        // Not what the general way reads as this event, or not JSON at all.
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"b"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\q"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":7}}"#,
        #"{"type":"content_block_delta","index":01,"delta":{"type":"text_delta","text":"a"}}"#,
        #"{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"a"}}"#,
        #"{"type":"content_block_delta","index":1.5,"delta":{"type":"text_delta","text":"a"}}"#,
        #"{"type":"content_block_delta","index":99999999999,"delta":{"type":"text_delta","text":"a"}}"#,
        // Digits past what an Int holds: refused, not overflowed.
        #"{"type":"content_block_stop","index":99999999999999999999999}"#,
        #"{"type":"content_block_stop","index":}"#,
        #"{"type":"content_block_stop","index":0"#,
        #"{"type":"content_block_delta""#,
        "",
    ])
    func otherShapesAreLeftToTheGeneralWay(data: String) {
        #expect(AnthropicFrameReader.event(Array(data.utf8)) == nil)
    }
}
