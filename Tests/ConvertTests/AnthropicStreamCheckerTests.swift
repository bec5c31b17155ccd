import SSE
import TestSupport
import Testing
import Wire

@Suite struct AnthropicStreamCheckerTests {
    static let start: JSONValue = [
        "type": "message_start",
        "message": [
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
            "stop_reason": nil, "stop_sequence": nil, "usage": ["input_tokens": 1, "output_tokens": 0],
        ],
    ]
    static let ping: JSONValue = ["type": "ping"]
    static let textStart: JSONValue = [
        "type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""],
    ]
    static let textDelta: JSONValue = [
        "type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": "Hi"],
    ]
    static let stop0: JSONValue = ["type": "content_block_stop", "index": 0]
    static let messageDelta: JSONValue = [
        "type": "message_delta", "delta": ["stop_reason": "end_turn", "stop_sequence": nil],
        "usage": ["output_tokens": 1],
    ]
    static let messageStop: JSONValue = ["type": "message_stop"]
    static let valid = [start, ping, textStart, textDelta, stop0, messageDelta, messageStop]

    @Test func validStreamHasNoViolations() {
        #expect(violations(Self.valid) == [])
    }

    @Test func catchesAnEmptyTextBlock() {
        let found = violations([Self.start, Self.textStart, Self.stop0, Self.messageDelta, Self.messageStop])
        #expect(found == ["event 2: empty text block 0"])
    }

    @Test func catchesADeltaOutsideABlock() {
        let found = violations([
            Self.start, Self.textStart, Self.textDelta, Self.stop0, Self.textDelta, Self.messageDelta, Self.messageStop,
        ])
        #expect(found == ["event 4: delta for block 0, which is not open"])
    }

    @Test func catchesAMissingMessageStop() {
        #expect(
            violations(Array(Self.valid.dropLast())) == ["end of stream: the stream ends without message_stop or error"]
        )
    }

    @Test func catchesEventsAfterMessageStop() {
        #expect(violations(Self.valid + [Self.ping]) == ["event 7: ping after the stream ended"])
    }

    @Test func catchesEventsAfterAnError() {
        let error: JSONValue = ["type": "error", "error": ["type": "api_error", "message": "x"]]
        #expect(violations([Self.start, error]) == [])
        #expect(violations([Self.start, error, Self.messageStop]) == ["event 2: message_stop after the stream ended"])
    }

    @Test func catchesOrderAndIndexProblems() {
        let secondBlock: JSONValue = [
            "type": "content_block_start", "index": 2, "content_block": ["type": "text", "text": ""],
        ]
        #expect(
            violations([Self.start, Self.textStart, secondBlock]).first
                == "event 2: block 2 starts while block 0 is open")
        #expect(violations([Self.ping] + Self.valid).contains("event 0: ping before message_start"))
        #expect(
            violations([Self.start, Self.start] + Self.valid.dropFirst()).contains("event 1: second message_start"))
        #expect(
            violations([Self.start, Self.textStart, Self.textDelta, Self.messageDelta, Self.stop0, Self.messageStop])
                .contains("event 3: message_delta while block 0 is open"))
    }

    @Test func catchesBadToolUseAndDeltaTypes() {
        let toolStart: JSONValue = [
            "type": "content_block_start", "index": 0,
            "content_block": ["type": "tool_use", "id": "t", "name": "n", "input": [:]],
        ]
        let badJSON: JSONValue = [
            "type": "content_block_delta", "index": 0,
            "delta": ["type": "input_json_delta", "partial_json": "{\"a\":"],
        ]
        let found = violations([
            Self.start, toolStart, badJSON, Self.textDelta, Self.stop0, Self.messageDelta, Self.messageStop,
        ])
        #expect(found.contains("event 3: text_delta in a tool_use block"))
        #expect(found.contains { $0.hasPrefix("event 4: tool_use block 0 input is not a JSON object") })
    }

    @Test func catchesNamesThatAreNotAnthropics() {
        var events = sseEvents(Self.valid)
        events.append(SSEEvent(data: "[DONE]"))
        #expect(
            AnthropicStreamChecker.violations(in: events).map(\.description)
                == ["event 7: unnamed event after the stream ended"])
        let renamed = [SSEEvent(event: "message_begin", data: Self.start.serializedString())]
        #expect(
            AnthropicStreamChecker.violations(in: renamed).first?.description
                == "event 0: unknown or missing event name message_begin")
    }

    @Test func checksRawBytes() {
        let bytes = sseEvents(Self.valid).flatMap { $0.encoded() }
        #expect(AnthropicStreamChecker.violations(inBytes: bytes) == [])
    }
}
