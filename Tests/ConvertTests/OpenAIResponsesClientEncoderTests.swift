import Convert
import Foundation
import SSE
import TestSupport
import Testing
import Wire

/// The Responses stream encoder fed pivot events directly.
@Suite struct OpenAIResponsesClientEncoderTests {
    static let start = AnthropicStreamEvent.messageStart(
        .init(id: "msg_1", model: "claude", usage: ["input_tokens": 7, "cache_read_input_tokens": 3]))

    @Test func thinkingTextAndCallInDocumentedOrder() throws {
        let events = encodeForResponsesClient([
            Self.start, .ping,
            .contentBlockStart(index: 0, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 0, delta: .thinking("Hmm")),
            .contentBlockDelta(index: 0, delta: .signature("openai-reasoning:ENC")),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .text("")),
            .contentBlockDelta(index: 1, delta: .text("Hi ")),
            .contentBlockDelta(index: 1, delta: .text("there")),
            .contentBlockStop(index: 1),
            .contentBlockStart(index: 2, block: .toolUse(id: "toolu_9", name: "now", input: [:])),
            .contentBlockStop(index: 2),
            .messageDelta(.init(stopReason: "tool_use", stopSequence: nil, usage: ["output_tokens": 12])),
            .messageStop,
        ])
        #expect(OpenAIResponsesStreamChecker.violations(in: events) == [])
        #expect(
            events.map { $0.event ?? "" } == [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ])
        #expect(
            events[0].data
                == #"{"type":"response.created","sequence_number":0,"response":{"id":"resp_msg_1","object":"response","created_at":1700000000,"status":"in_progress","error":null,"incomplete_details":null,"model":"gpt-test","output":[],"usage":null}}"#
        )
        #expect(
            events[10].data
                == #"{"type":"response.output_text.delta","sequence_number":10,"item_id":"msg_1_1","output_index":1,"content_index":0,"delta":"Hi "}"#
        )
        let final = try JSONValue(parsing: events.last!.data)["response"]
        #expect(
            final?["output"]
                == [
                    [
                        "id": "rs_1_0", "type": "reasoning", "summary": [["type": "summary_text", "text": "Hmm"]],
                        "encrypted_content": "ENC",
                    ],
                    [
                        "id": "msg_1_1", "type": "message", "status": "completed", "role": "assistant",
                        "content": [["type": "output_text", "text": "Hi there", "annotations": []]],
                    ],
                    [
                        "id": "fc_1_2", "type": "function_call", "status": "completed", "arguments": "{}",
                        "call_id": "toolu_9", "name": "now",
                    ],
                ])
        #expect(
            final?["usage"]
                == [
                    "input_tokens": 10, "input_tokens_details": ["cached_tokens": 3], "output_tokens": 12,
                    "output_tokens_details": ["reasoning_tokens": 0], "total_tokens": 22,
                ])
    }

    @Test func maxTokensEndsIncomplete() throws {
        let events = encodeForResponsesClient([
            Self.start, Self.start,
            .contentBlockStart(index: 0, block: .text("Once")),
            .contentBlockDelta(index: 0, delta: .text(" upon")),
            .contentBlockStop(index: 0),
            .messageDelta(.init(stopReason: "max_tokens", stopSequence: nil, usage: ["output_tokens": 2])),
            .messageStop,
            .ping,
        ])
        #expect(OpenAIResponsesStreamChecker.violations(in: events) == [])
        #expect(events.filter { $0.event == "response.created" }.count == 1, "a repeated message_start adds nothing")
        #expect(events.last?.event == "response.incomplete")
        let final = try JSONValue(parsing: events.last!.data)["response"]
        #expect(final?["status"] == "incomplete")
        #expect(final?["incomplete_details"] == ["reason": "max_output_tokens"])
        #expect(AssembledResponse(events).texts(of: "message") == ["Once upon"])
    }

    @Test func errorBeforeAnythingStillStartsTheResponse() {
        let events = encodeForResponsesClient([.error(.invalidRequest("prompt is too long"))])
        #expect(events.map(\.event) == ["response.created", "response.in_progress", "error", "response.failed"])
        #expect(
            events[2].data
                == #"{"type":"error","sequence_number":2,"code":"invalid_request_error","message":"prompt is too long","param":null}"#
        )
        #expect(OpenAIResponsesStreamChecker.violations(in: events) == [])
    }

    @Test func checkerFindsBrokenStreams() {
        let good = encodeForResponsesClient([
            Self.start, .contentBlockStart(index: 0, block: .text("A")), .contentBlockStop(index: 0), .messageStop,
        ])
        #expect(OpenAIResponsesStreamChecker.violations(in: good) == [])
        #expect(OpenAIResponsesStreamChecker.violations(in: Array(good.dropLast())).count == 1)
        var renumbered = good
        renumbered.remove(at: 3)  // content_part.added
        #expect(OpenAIResponsesStreamChecker.violations(in: renumbered).contains { $0.contains("sequence_number") })
        var wrongText = good
        wrongText[5].data = wrongText[5].data.replacingOccurrences(of: #""text":"A""#, with: #""text":"B""#)
        #expect(OpenAIResponsesStreamChecker.violations(in: wrongText).contains { $0.contains("deltas joined") })
    }
}
