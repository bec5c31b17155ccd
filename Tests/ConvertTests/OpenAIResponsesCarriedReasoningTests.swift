import Convert
import SSE
import TestSupport
import Testing
import Wire

/// Other providers' reasoning in a Responses client's `reasoning` items:
/// carried in `encrypted_content` behind `pivot:`, and the same pivot block
/// again when the client sends the item back.
@Suite struct OpenAIResponsesCarriedReasoningTests {
    /// `pivot:` + the base64 of `json`, written out as the proxy writes it.
    static func carried(_ json: String) -> JSONValue {
        .string("pivot:" + Base64.encode(Array(json.utf8)))
    }

    static let blocks: [JSONValue] = [
        // Claude's thinking and its signature.
        ["type": "thinking", "thinking": "Plan the call.", "signature": "EqSig=="],
        ["type": "redacted_thinking", "data": "EmRedacted"],
        // A Gemini text part's signature, on a thinking block with no text.
        ["type": "thinking", "thinking": "", "signature": "gemini:c2lnCg=="],
        // A DeepSeek-like upstream's unsigned reasoning.
        ["type": "thinking", "thinking": "Unsigned.", "signature": ""],
        ["type": "tool_use", "id": "toolu_1", "name": "weather", "input": ["city": "Paris"]],
    ]

    static let message: JSONValue = [
        "id": "msg_01abc", "type": "message", "role": "assistant", "model": "m", "content": .array(blocks),
        "stop_reason": "tool_use", "stop_sequence": nil, "usage": ["input_tokens": 1, "output_tokens": 2],
    ]

    static let expectedReasoning: [JSONValue] = [
        [
            "id": "rs_01abc_0", "type": "reasoning",
            "summary": [["type": "summary_text", "text": "Plan the call."]],
            "encrypted_content": carried(#"{"type":"thinking","thinking":"Plan the call.","signature":"EqSig=="}"#),
        ],
        [
            "id": "rs_01abc_1", "type": "reasoning", "summary": [],
            "encrypted_content": carried(#"{"type":"redacted_thinking","data":"EmRedacted"}"#),
        ],
        [
            "id": "rs_01abc_2", "type": "reasoning", "summary": [],
            "encrypted_content": carried(#"{"type":"thinking","thinking":"","signature":"gemini:c2lnCg=="}"#),
        ],
        [
            "id": "rs_01abc_3", "type": "reasoning", "summary": [["type": "summary_text", "text": "Unsigned."]],
            "encrypted_content": carried(#"{"type":"thinking","thinking":"Unsigned.","signature":""}"#),
        ],
    ]

    @Test func theResponseCarriesEachBlock() {
        let response = OpenAIResponsesClientCodec.encodeResponse(
            Self.message, requestedModel: "gpt-test", createdAt: 1_700_000_000)
        let output = response["output"]?.arrayValue ?? []
        #expect(Array(output.prefix(4)) == Self.expectedReasoning)
        #expect(output.map { $0["type"] } == ["reasoning", "reasoning", "reasoning", "reasoning", "function_call"])
    }

    /// Sent back as they came, the items are the blocks they were made of.
    @Test func theItemsComeBackAsTheirBlocks() throws {
        let response = OpenAIResponsesClientCodec.encodeResponse(
            Self.message, requestedModel: "gpt-test", createdAt: 1_700_000_000)
        let input = [["role": "user", "content": "Weather?"]] + (response["output"]?.arrayValue ?? [])
        let request = try OpenAIResponsesClientCodec.decodeRequest(["model": "gpt-5", "input": .array(input)])
        #expect(request.body["messages"]?[1]?["content"] == .array(Self.blocks))
    }

    /// The streamed response's items are the whole response's.
    @Test func theStreamCarriesTheSame() throws {
        let events: [AnthropicStreamEvent] = [
            .messageStart(.init(id: "msg_01abc", model: "m", usage: ["input_tokens": 1, "output_tokens": 0])),
            .contentBlockStart(index: 0, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 0, delta: .thinking("Plan the call.")),
            .contentBlockDelta(index: 0, delta: .signature("EqSig==")),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .redactedThinking(data: "EmRedacted")),
            .contentBlockStop(index: 1),
            .contentBlockStart(index: 2, block: .thinking(thinking: "", signature: "gemini:c2lnCg==")),
            .contentBlockStop(index: 2),
            .contentBlockStart(index: 3, block: .thinking(thinking: "Unsigned.", signature: "")),
            .contentBlockStop(index: 3),
            .messageDelta(.init(stopReason: "tool_use", stopSequence: nil, usage: ["output_tokens": 2])),
            .messageStop,
        ]
        let frames = encodeForResponsesClient(events)
        #expect(OpenAIResponsesStreamChecker.violations(in: frames) == [])
        let output = try #require(AssembledResponse(frames).terminal?["output"]?.arrayValue)
        #expect(output == Self.expectedReasoning)
    }

    /// An OpenAI item's encrypted content (no prefix) keeps its own handling.
    @Test func openAIEncryptedContentIsNotTakenForCarried() throws {
        let request = try OpenAIResponsesClientCodec.decodeRequest([
            "model": "gpt-5",
            "input": [
                [
                    "type": "reasoning", "summary": [["type": "summary_text", "text": "S"]],
                    "encrypted_content": "gAAAA",
                ]
            ],
        ])
        #expect(
            request.body["messages"]?[0]?["content"]
                == [["type": "thinking", "thinking": "S", "signature": "openai-reasoning:gAAAA"]])
    }

    /// Content behind the prefix that is not a reasoning block was changed
    /// by the client: a 400 naming the item.
    @Test(arguments: ["pivot:not base64!", "pivot:" + Base64.encode(Array(#"{"type":"text","text":"x"}"#.utf8))])
    func alteredCarriedContentIsRefused(encrypted: String) {
        let error = #expect(throws: APIError.self) {
            try OpenAIResponsesClientCodec.decodeRequest([
                "model": "gpt-5",
                "input": [
                    ["role": "user", "content": "Hi"], ["type": "reasoning", "encrypted_content": .string(encrypted)],
                ],
            ])
        }
        #expect(error?.status == 400)
        #expect(
            error?.message
                == "/input/1/encrypted_content: not the reasoning this proxy returned; send encrypted_content back as it came"
        )
    }
}
