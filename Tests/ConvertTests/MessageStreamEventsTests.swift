import SSE
import TestSupport
import Testing
import Wire

@testable import Convert

/// A whole message as a stream, for `can_stream: false` routes.
@Suite struct MessageStreamEventsTests {
    @Test func everyBlockKindBecomesAValidStreamCarryingAllOfIt() throws {
        let message: JSONObject = [
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
            "content": [
                ["type": "thinking", "thinking": "Let me see.", "signature": "sig=="],
                ["type": "text", "text": ""],
                ["type": "text", "text": "Checking."],
                ["type": "tool_use", "id": "toolu_1", "name": "weather", "input": ["city": "Paris"]],
            ],
            "stop_reason": "tool_use", "stop_sequence": nil,
            "usage": ["input_tokens": 12, "output_tokens": 7],
        ]
        let events = MessageStreamEvents.events(of: message)
        #expect(AnthropicStreamChecker.violations(in: events.map(\.sseEvent)).isEmpty)
        #expect(
            events.map(\.sseEvent.event) == [
                "message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ])
        let text = events.map(\.sseEvent.data).joined(separator: "\n")
        #expect(text.contains(#""thinking":"Let me see.""#) && text.contains(#""signature":"sig==""#))
        #expect(text.contains(#""partial_json":"{\"city\":\"Paris\"}""#))
        #expect(text.contains(#""stop_reason":"tool_use""#) && text.contains(#""output_tokens":7"#))
        guard case .messageStart(let start) = events[0] else { Issue.record("no message_start"); return }
        #expect(start.usage["input_tokens"] == 12 && start.usage["output_tokens"] == 0)
        #expect(start.message["content"] == [] && start.message["stop_reason"] == .null)
    }
}
