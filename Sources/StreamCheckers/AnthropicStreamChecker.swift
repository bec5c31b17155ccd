import SSE
import Wire

/// Checks that a sequence of SSE events is a valid Anthropic Messages stream,
/// as a client such as Claude Code needs it. Use it wherever a stream is
/// produced: an empty result means valid.
///
/// Rules:
/// - every event has a JSON object payload whose `type` is the event name,
///   and the name is one Anthropic defines;
/// - `message_start` comes first, once; `ping` may come any time after it;
/// - block indexes rise from 0 by one; a block runs `content_block_start`,
///   its deltas, `content_block_stop` before the next starts; a delta's type
///   fits its block's type;
/// - no text block is empty (its start text and deltas together have text);
/// - a `tool_use` block has an id and a name, and its `partial_json`
///   fragments together parse as a JSON object (or are empty);
/// - one `message_delta` with a known `stop_reason` and integer
///   `usage.output_tokens`, after the last block closed;
/// - `message_stop` ends the stream, and nothing follows it;
/// - an `error` event (`{"type":"error","error":{"type","message"}}`) may end
///   the stream at any point instead, and nothing follows it either.
public enum AnthropicStreamChecker {
    /// One broken rule, at the event where it was found (nil: the stream's end).
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        public var eventIndex: Int?
        public var message: String

        public init(eventIndex: Int?, message: String) {
            self.eventIndex = eventIndex
            self.message = message
        }

        public var description: String {
            if let eventIndex { return "event \(eventIndex): \(message)" }
            return "end of stream: \(message)"
        }
    }

    public static let eventNames: Set<String> = [
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop", "ping", "error",
    ]
    public static let stopReasons: Set<String> = [
        "end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal",
        "model_context_window_exceeded",
    ]

    /// The rules `events` break, in stream order; empty when the stream is valid.
    public static func violations(in events: [SSEEvent]) -> [Violation] {
        var state = AnthropicStreamCheckState()
        for (index, event) in events.enumerated() {
            state.check(event, at: index)
        }
        state.checkEnd()
        return state.violations
    }

    /// ``violations(in:)`` for raw SSE bytes.
    public static func violations(inBytes bytes: [UInt8]) -> [Violation] {
        var parser = SSEParser()
        return violations(in: parser.parse(bytes) + parser.finish())
    }
}
