import SSE
import Testing
import Wire

@testable import Proxy

/// `gen_ai.response.finish_reasons` as each client dialect is told it.
@Suite struct FinishReasonsTests {
    private static func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    @Test func bodiesOfEachDialect() throws {
        #expect(FinishReasons.find(in: try Self.json(#"{"type":"message","stop_reason":"tool_use"}"#)) == ["tool_use"])
        #expect(
            FinishReasons.find(
                in: try Self.json(#"{"choices":[{"finish_reason":"length"},{"finish_reason":"stop"}]}"#))
                == ["length", "stop"])
        #expect(FinishReasons.find(in: try Self.json(#"{"candidates":[{"finishReason":"STOP"}]}"#)) == ["STOP"])
        #expect(
            FinishReasons.find(in: try Self.json(#"{"object":"response","status":"completed"}"#)) == ["completed"])
        #expect(
            FinishReasons.find(
                in: try Self.json(
                    #"{"object":"response","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}"#
                )) == ["max_output_tokens"])
        #expect(FinishReasons.find(in: try Self.json(#"{"stop_reason":null,"choices":[]}"#)).isEmpty)
    }

    @Test func streamFramesOfEachDialect() {
        let frames = [
            SSEEvent(event: "message_delta", data: #"{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"#),
            SSEEvent(data: #"{"choices":[{"delta":{},"finish_reason":null}]}"#),
            SSEEvent(data: #"{"choices":[{"delta":{},"finish_reason":"stop"}]}"#),
            SSEEvent(
                event: "response.completed",
                data: #"{"type":"response.completed","response":{"object":"response","status":"completed"}}"#),
            SSEEvent(data: #"{"candidates":[{"finishReason":"MAX_TOKENS"}]}"#),
            SSEEvent(event: "ping", data: "{}"),
        ]
        #expect(FinishReasons.find(in: frames) == ["end_turn", "stop", "completed", "MAX_TOKENS"])
    }
}
