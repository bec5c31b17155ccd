import Convert
import Testing
import Wire

/// An Anthropic message -> the Responses `response` a client gets.
@Suite struct OpenAIResponsesClientResponseTests {
    static func message(_ content: JSONValue, stopReason: String = "end_turn") -> JSONValue {
        [
            "id": "msg_01abc", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": content, "stop_reason": .string(stopReason), "stop_sequence": nil,
            "usage": [
                "input_tokens": 10, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 5,
                "output_tokens": 20,
            ],
        ]
    }

    @Test func textMessage() {
        let response = OpenAIResponsesClientCodec.encodeResponse(
            Self.message([["type": "text", "text": "Hello!"]]), requestedModel: "gpt-test", createdAt: 1_700_000_000)
        #expect(
            response
                == [
                    "id": "resp_msg_01abc", "object": "response", "created_at": 1_700_000_000, "status": "completed",
                    "error": nil, "incomplete_details": nil, "model": "gpt-test",
                    "output": [
                        [
                            "id": "msg_01abc_0", "type": "message", "status": "completed", "role": "assistant",
                            "content": [["type": "output_text", "text": "Hello!", "annotations": []]],
                        ]
                    ],
                    "usage": [
                        "input_tokens": 115, "input_tokens_details": ["cached_tokens": 100], "output_tokens": 20,
                        "output_tokens_details": ["reasoning_tokens": 0], "total_tokens": 135,
                    ],
                ])
    }

    @Test func reasoningThenFunctionCall() {
        let response = OpenAIResponsesClientCodec.encodeResponse(
            Self.message(
                [
                    ["type": "thinking", "thinking": "Need the weather.", "signature": "openai-reasoning:gAAAA-enc"],
                    ["type": "thinking", "thinking": "Claude's own.", "signature": "EqQBCkYIBxgC"],
                    ["type": "tool_use", "id": "toolu_1", "name": "weather", "input": ["city": "Paris"]],
                ], stopReason: "tool_use"), requestedModel: "gpt-test", createdAt: 1_700_000_000)
        #expect(response["status"] == "completed")
        #expect(
            response["output"]
                == [
                    [
                        "id": "rs_01abc_0", "type": "reasoning", "encrypted_content": "gAAAA-enc",
                        "summary": [["type": "summary_text", "text": "Need the weather."]],
                    ],
                    [
                        "id": "rs_01abc_1", "type": "reasoning",
                        "summary": [["type": "summary_text", "text": "Claude's own."]],
                        // Claude's signature, carried for the client to send back.
                        "encrypted_content": .string(
                            "pivot:"
                                + Base64.encode(
                                    Array(
                                        #"{"type":"thinking","thinking":"Claude's own.","signature":"EqQBCkYIBxgC"}"#
                                            .utf8)
                                )),
                    ],
                    [
                        "id": "fc_01abc_2", "type": "function_call", "status": "completed",
                        "arguments": #"{"city":"Paris"}"#, "call_id": "toolu_1", "name": "weather",
                    ],
                ])
    }

    @Test func maxTokensIsIncomplete() {
        let response = OpenAIResponsesClientCodec.encodeResponse(
            Self.message([["type": "text", "text": "Once upon"]], stopReason: "max_tokens"), requestedModel: "gpt-test",
            createdAt: 1_700_000_000)
        #expect(response["status"] == "incomplete")
        #expect(response["incomplete_details"] == ["reason": "max_output_tokens"])
    }

    @Test func aRefusalIsIncompleteForTheContentFilter() {
        let response = OpenAIResponsesClientCodec.encodeResponse(
            Self.message([], stopReason: "refusal"), requestedModel: "gpt-test", createdAt: 1_700_000_000)
        #expect(response["status"] == "incomplete")
        #expect(response["incomplete_details"] == ["reason": "content_filter"])
    }

    /// A reasoning item's encrypted content goes out in the response and,
    /// sent back as input, becomes the same thinking signature again.
    @Test func encryptedReasoningSurvivesARoundTrip() throws {
        let original: JSONValue = [
            "type": "thinking", "thinking": "Plan.", "signature": "openai-reasoning:gAAAA-round",
        ]
        let response = OpenAIResponsesClientCodec.encodeResponse(
            Self.message([original, ["type": "text", "text": "Done."]]), requestedModel: "gpt-test",
            createdAt: 1_700_000_000)
        let input = (response["output"]?.arrayValue ?? []) + [["role": "user", "content": "Next"]]
        let request = try OpenAIResponsesClientCodec.decodeRequest(["model": "gpt-5", "input": .array(input)])
        #expect(request.body["messages"]?[0]?["content"] == [original, ["type": "text", "text": "Done."]])
    }
}
