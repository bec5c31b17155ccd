import Convert
import Testing
import Wire

/// The Responses state machine fed hand-made events, for the cases the
/// recorded fixtures do not show.
@Suite struct OpenAIResponsesStreamTranscoderTests {
    static func run(_ events: [JSONValue], error: APIError? = nil) -> [JSONValue] {
        var machine = OpenAIResponsesStreamTranscoder(requestedModel: "claude-test", upstreamName: "gpt")
        let output = events.flatMap { machine.receive(event: $0) }
        return (output + machine.finish(error: error)).map(\.payload)
    }

    static let created: JSONValue = ["type": "response.created", "response": ["id": "resp_1", "usage": nil]]

    static func completed(status: String = "completed", reason: String? = nil) -> JSONValue {
        var response: JSONObject = [
            "id": "resp_1", "status": .string(status),
            "usage": ["input_tokens": 10, "input_tokens_details": ["cached_tokens": 4], "output_tokens": 3],
        ]
        if let reason { response["incomplete_details"] = ["reason": .string(reason)] }
        return [
            "type": status == "completed" ? "response.completed" : "response.incomplete", "response": .object(response),
        ]
    }

    static func call(_ id: String, name: String = "f") -> JSONValue {
        [
            "type": "response.output_item.added",
            "item": [
                "type": "function_call", "id": .string(id), "call_id": .string("call_" + id), "name": .string(name),
                "arguments": "",
            ],
        ]
    }

    static func arguments(_ id: String, _ delta: String) -> JSONValue {
        ["type": "response.function_call_arguments.delta", "item_id": .string(id), "delta": .string(delta)]
    }

    static func callDone(_ id: String, _ arguments: String) -> JSONValue {
        [
            "type": "response.output_item.done",
            "item": [
                "type": "function_call", "id": .string(id), "call_id": .string("call_" + id), "name": "f",
                "arguments": .string(arguments),
            ],
        ]
    }

    static func text(_ delta: String, item: String = "msg") -> JSONValue {
        ["type": "response.output_text.delta", "item_id": .string(item), "delta": .string(delta)]
    }

    @Test func textStreamsAndUsageSeparatesCachedTokens() {
        let output = Self.run([Self.created, Self.text("Hel"), Self.text("lo"), Self.completed()])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.text) == ["Hello"])
        #expect(message.stopReason == "end_turn")
        #expect(
            message.usage
                == [
                    "input_tokens": 6, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 4,
                    "output_tokens": 3,
                ])
        #expect(output.last?["type"] == "message_stop")
    }

    @Test func argumentsStreamLiveIntoTheToolBlock() {
        let output = Self.run([
            Self.created, Self.call("a"), Self.arguments("a", "{\"x\":"), Self.arguments("a", "1}"),
            Self.callDone("a", "{\"x\":1}"), Self.completed(),
        ])
        #expect(violations(output) == [])
        let deltas = output.filter { $0["delta"]?["type"] == "input_json_delta" }.map { $0["delta"]?["partial_json"] }
        #expect(deltas == ["{\"x\":", "1}"])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.id) == ["call_a"])
        #expect(message.input(ofBlock: 0) == ["x": 1])
        #expect(message.stopReason == "tool_use")
    }

    @Test func argumentsOnlyInDoneAreSent() {
        let output = Self.run([Self.created, Self.call("a"), Self.callDone("a", "{\"y\":2}"), Self.completed()])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).input(ofBlock: 0) == ["y": 2])
    }

    @Test func anythingArrivingDuringAnOpenCallWaitsForIt() {
        let output = Self.run([
            Self.created, Self.call("a"), Self.arguments("a", "{\"x\":"), Self.text("meanwhile"), Self.call("b"),
            Self.arguments("b", "{}"), Self.arguments("a", "1}"), Self.callDone("a", "{\"x\":1}"),
            Self.callDone("b", "{}"), Self.completed(),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["tool_use", "text", "tool_use"])
        #expect(message.input(ofBlock: 0) == ["x": 1])
        #expect(message.blocks[1].text == "meanwhile")
        #expect(message.blocks[2].id == "call_b")
    }

    @Test func reasoningSummaryPartsAndSignatureOnlyReasoning() {
        let output = Self.run([
            Self.created,
            ["type": "response.output_item.added", "item": ["type": "reasoning", "id": "rs1", "summary": []]],
            ["type": "response.reasoning_summary_text.delta", "item_id": "rs1", "summary_index": 0, "delta": "One."],
            ["type": "response.reasoning_summary_part.added", "item_id": "rs1", "summary_index": 1],
            ["type": "response.reasoning_summary_text.delta", "item_id": "rs1", "summary_index": 1, "delta": "Two."],
            [
                "type": "response.output_item.done",
                "item": ["type": "reasoning", "id": "rs1", "encrypted_content": "ENC1", "summary": []],
            ],
            [
                "type": "response.output_item.done",
                "item": ["type": "reasoning", "id": "rs2", "encrypted_content": "ENC2", "summary": []],
            ],
            Self.text("Hi"), Self.completed(),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["thinking", "thinking", "text"])
        #expect(message.blocks[0].text == "One.\n\nTwo.")
        #expect(message.blocks[0].signature == "openai-reasoning:ENC1")
        #expect(message.blocks[1].text == "")
        #expect(message.blocks[1].signature == "openai-reasoning:ENC2")
    }

    @Test func incompleteAndRefusal() {
        let truncated = AssembledMessage(
            Self.run([
                Self.created, Self.text("Long"), Self.completed(status: "incomplete", reason: "max_output_tokens"),
            ]))
        #expect(truncated.stopReason == "max_tokens")
        let refused = AssembledMessage(
            Self.run([
                Self.created, ["type": "response.refusal.delta", "item_id": "m", "delta": "I can't help with that."],
                Self.completed(),
            ]))
        #expect(refused.blocks.map(\.text) == ["I can't help with that."])
        #expect(refused.stopReason == "refusal")
    }

    @Test func failuresEndWithOneErrorEvent() {
        let failed = Self.run([
            Self.created, Self.text("par"),
            [
                "type": "response.failed",
                "response": [
                    "id": "resp_1", "status": "failed", "error": ["code": "server_error", "message": "boom"],
                ],
            ],
        ])
        #expect(violations(failed) == [])
        #expect(AssembledMessage(failed).error?["message"]?.stringValue?.contains("boom") == true)
        let flat = Self.run([Self.created, ["type": "error", "code": "rate_limit_exceeded", "message": "slow down"]])
        #expect(AssembledMessage(flat).error?["type"] == "rate_limit_error")
        let cut = Self.run([Self.created, Self.text("par")])
        #expect(violations(cut) == [])
        #expect(cut.last?["type"] == "error")
        let dropped = Self.run([Self.created], error: APIError(status: 502, type: "api_error", message: "reset"))
        #expect(dropped.last?["error"]?["message"] == "reset")
    }
}
