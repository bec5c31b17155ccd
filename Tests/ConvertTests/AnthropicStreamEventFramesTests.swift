import Convert
import SSE
import Testing
import Wire

/// `appendFrame(to:)` writes every event but an unknown one straight to
/// bytes: they must be the bytes `sseEvent` encodes, and read back as the same
/// events (recordings and replays read them so), for every kind of delta
/// and text that needs escaping.
@Suite struct AnthropicStreamEventFramesTests {
    static let texts = [
        "", "Hello", "a \"quoted\" \\ path\nnext line\r\n\ttab", "é 😀 \u{01}\u{1F}\u{7F}", #"{"path":"/tmp/x"}"#,
        String(repeating: "long text ", count: 300),
    ]

    static var events: [AnthropicStreamEvent] {
        var events: [AnthropicStreamEvent] = []
        for (number, text) in texts.enumerated() {
            let index = [0, 1, 9, 10, 12_345, Int(Int32.max)][number]
            events += [
                .contentBlockDelta(index: index, delta: .text(text)),
                .contentBlockDelta(index: index, delta: .thinking(text)),
                .contentBlockDelta(index: index, delta: .signature(text)),
                .contentBlockDelta(index: index, delta: .inputJSON(text)),
                .contentBlockStop(index: index),
            ]
        }
        events += [
            .contentBlockDelta(index: 2, delta: .unknown(["type": "citations_delta", "citation": ["n": 1]])),
            .contentBlockStart(index: 0, block: ContentBlock(json: ["type": "text", "text": ""])),
            .contentBlockStart(
                index: 12_345,
                block: ContentBlock(json: ["type": "tool_use", "id": "t\n1", "name": "Write", "input": [:]])),
            .contentBlockStart(
                index: 1, block: ContentBlock(json: ["type": "thinking", "thinking": "", "signature": ""])),
            .messageDelta(.init(stopReason: "end_turn", stopSequence: nil, usage: ["output_tokens": 3])),
            .messageDelta(.init(stopReason: "stop_sequence", stopSequence: "\"END\"\n", usage: [:])),
            .messageDelta(.init(stopReason: nil, stopSequence: nil, usage: ["output_tokens": 0, "input_tokens": 9])),
            .messageStart(.init(message: ["id": "m", "model": "é \"x\"", "usage": ["input_tokens": 1]])),
            .messageStart(.init(id: "msg_1", model: "gpt-4o", usage: ["input_tokens": 12, "output_tokens": 1])),
            .messageStop, .ping, .error(.internalError("busy\nagain")),
            .unknown(["type": "custom_event", "text": "a\nb"]), .unknown(["no_type": true]),
        ]
        return events
    }

    @Test func framesAreTheBytesAndEventsOfTheSSEEvent() {
        for event in Self.events {
            var frames = SSEFrames()
            event.appendFrame(to: &frames)
            var expected: [UInt8] = []
            event.sseEvent.encode(into: &expected)
            #expect(frames.bytes == expected, "\(event)")
            #expect(frames.events == [event.sseEvent], "\(event)")
        }
        // One after another in the same frames, as a stream writes them.
        var frames = SSEFrames()
        var expected: [UInt8] = []
        for event in Self.events {
            event.appendFrame(to: &frames)
            event.sseEvent.encode(into: &expected)
        }
        #expect(frames.bytes == expected)
        #expect(frames.events == Self.events.map(\.sseEvent))
    }
}
