import Convert
import Testing
import Wire

/// A Responses client's request -> the Anthropic (pivot) request.
@Suite struct OpenAIResponsesClientRequestTests {
    static func decode(_ body: JSONValue) throws -> ConvertedRequest {
        try OpenAIResponsesClientCodec.decodeRequest(body)
    }

    /// The error a request is refused with.
    static func refusal(_ body: JSONValue) -> APIError? {
        do {
            _ = try OpenAIResponsesClientCodec.decodeRequest(body)
            return nil
        } catch {
            return error
        }
    }

    @Test func stringInputIsOneUserMessage() throws {
        let converted = try Self.decode(["model": "gpt-5", "input": "Hello there", "stream": true])
        #expect(
            converted.body
                == [
                    "model": "gpt-5", "max_tokens": 4096, "stream": true,
                    "messages": [["role": "user", "content": [["type": "text", "text": "Hello there"]]]],
                ])
        #expect(converted.diagnostics.isEmpty)
    }

    @Test func instructionsAndDeveloperMessagesBecomeSystem() throws {
        let converted = try Self.decode([
            "model": "gpt-5", "instructions": "Be brief.", "max_output_tokens": 300, "temperature": 0.5, "top_p": 0.9,
            "input": [
                ["role": "developer", "content": "Answer in French."],
                ["type": "message", "role": "user", "content": [["type": "input_text", "text": "Hi"]]],
                ["role": "assistant", "content": [["type": "output_text", "text": "Salut", "annotations": []]]],
                ["role": "user", "content": "Again"],
            ],
        ])
        #expect(converted.body["system"] == "Be brief.\n\nAnswer in French.")
        #expect(converted.body["max_tokens"] == 300)
        #expect(converted.body["temperature"] == 0.5)
        #expect(converted.body["top_p"] == 0.9)
        #expect(
            converted.body["messages"]
                == [
                    ["role": "user", "content": [["type": "text", "text": "Hi"]]],
                    ["role": "assistant", "content": [["type": "text", "text": "Salut"]]],
                    ["role": "user", "content": [["type": "text", "text": "Again"]]],
                ])
    }

    @Test func imagesAndFilesBecomeImageAndDocumentBlocks() throws {
        let converted = try Self.decode([
            "model": "gpt-5",
            "input": [
                [
                    "role": "user",
                    "content": [
                        ["type": "input_text", "text": "What is in these?"],
                        ["type": "input_image", "image_url": "data:image/jpeg;base64,AAAA", "detail": "high"],
                        ["type": "input_image", "image_url": "https://example.com/cat.png"],
                        ["type": "input_file", "filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBE"],
                        ["type": "input_image", "file_id": "file-123"],
                    ],
                ]
            ],
        ])
        #expect(
            converted.body["messages"]?[0]?["content"]
                == [
                    ["type": "text", "text": "What is in these?"],
                    ["type": "image", "source": ["type": "base64", "media_type": "image/jpeg", "data": "AAAA"]],
                    ["type": "image", "source": ["type": "url", "url": "https://example.com/cat.png"]],
                    [
                        "type": "document", "title": "a.pdf",
                        "source": ["type": "base64", "media_type": "application/pdf", "data": "JVBE"],
                    ],
                ])
        #expect(converted.diagnostics.map(\.path) == ["/input/0/content/1/detail", "/input/0/content/4"])
        #expect(converted.diagnostics.map(\.severity) == [.debug, .warning])
    }

    @Test func functionCallTurnsAndReasoningBecomeToolUseAndToolResult() throws {
        let converted = try Self.decode([
            "model": "gpt-5",
            "input": [
                ["role": "user", "content": "Weather in Paris and Rome?"],
                [
                    "type": "reasoning", "id": "rs_1", "encrypted_content": "gAAAA-secret",
                    "summary": [["type": "summary_text", "text": "Two cities."]],
                ],
                [
                    "type": "function_call", "id": "fc_1", "call_id": "call_a", "name": "weather",
                    "arguments": #"{"city":"Paris"}"#,
                ],
                [
                    "type": "function_call", "id": "fc_2", "call_id": "call_b", "name": "weather",
                    "arguments": #"{"city":"Rome"}"#,
                ],
                ["type": "function_call_output", "call_id": "call_a", "output": "18C"],
                [
                    "type": "function_call_output", "call_id": "call_b",
                    "output": [["type": "input_text", "text": "21C"]],
                ],
                ["type": "reasoning", "id": "rs_2", "summary": []],
            ],
        ])
        #expect(
            converted.body["messages"]
                == [
                    ["role": "user", "content": [["type": "text", "text": "Weather in Paris and Rome?"]]],
                    [
                        "role": "assistant",
                        "content": [
                            [
                                "type": "thinking", "thinking": "Two cities.",
                                "signature": "openai-reasoning:gAAAA-secret",
                            ],
                            ["type": "tool_use", "id": "call_a", "name": "weather", "input": ["city": "Paris"]],
                            ["type": "tool_use", "id": "call_b", "name": "weather", "input": ["city": "Rome"]],
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [
                            ["type": "tool_result", "tool_use_id": "call_a", "content": "18C"],
                            [
                                "type": "tool_result", "tool_use_id": "call_b",
                                "content": [["type": "text", "text": "21C"]],
                            ],
                        ],
                    ],
                ])
        #expect(converted.diagnostics.map(\.path) == ["/input/6"], "reasoning without encrypted content is dropped")
    }

    @Test func functionToolsAndToolChoice() throws {
        let converted = try Self.decode([
            "model": "gpt-5", "input": "Go", "parallel_tool_calls": false,
            "tool_choice": ["type": "function", "name": "lookup"],
            "tools": [
                [
                    "type": "function", "name": "lookup", "description": "Looks up a word.", "strict": true,
                    "parameters": ["type": "object", "properties": ["word": ["type": "string"]]],
                ],
                ["type": "web_search"],
            ],
        ])
        #expect(
            converted.body["tools"]
                == [
                    [
                        "name": "lookup", "description": "Looks up a word.",
                        "input_schema": ["type": "object", "properties": ["word": ["type": "string"]]],
                        "strict": true,
                    ]
                ])
        #expect(
            converted.body["tool_choice"] == ["type": "tool", "name": "lookup", "disable_parallel_tool_use": true])
        #expect(converted.diagnostics.map(\.path) == ["/tools/1"])
        #expect(converted.diagnostics.map(\.severity) == [.warning])
    }

    @Test(
        arguments: [("auto", ["type": "auto"]), ("none", ["type": "none"]), ("required", ["type": "any"])]
            as [(
                String, JSONValue
            )])
    func toolChoiceWords(word: String, expected: JSONValue) throws {
        let converted = try Self.decode([
            "model": "gpt-5", "input": "Go", "tool_choice": .string(word),
            "tools": [["type": "function", "name": "f", "parameters": ["type": "object"]]],
        ])
        #expect(converted.body["tool_choice"] == expected)
    }

    @Test func reasoningEffortBecomesAThinkingBudget() throws {
        let high = try Self.decode(["model": "gpt-5", "input": "Think", "reasoning": ["effort": "high"]])
        #expect(high.body["thinking"] == ["type": "enabled", "budget_tokens": 24576])
        #expect(high.body["max_tokens"] == 28672, "an unset limit leaves room after the budget")
        let capped = try Self.decode([
            "model": "gpt-5", "input": "Think", "reasoning": ["effort": "medium"], "max_output_tokens": 5000,
        ])
        // Half the cap is the answer's.
        #expect(capped.body["thinking"] == ["type": "enabled", "budget_tokens": 2500])
        #expect(capped.body["max_tokens"] == 5000)
        let none = try Self.decode(["model": "gpt-5", "input": "Hi", "reasoning": ["effort": "none"]])
        #expect(none.body["thinking"] == nil)
    }

    @Test func aCapBelowOneIsRefused() {
        for cap in [0, -5, Int64.min] {
            let error = Self.refusal([
                "model": "gpt-5", "input": "Think", "reasoning": ["effort": "high"], "max_output_tokens": .int(cap),
            ])
            #expect(error?.status == 400)
            #expect(error?.message == "max_output_tokens must be at least 1, got \(cap)")
        }
    }

    @Test func previousResponseIDIsRefused() {
        let error = Self.refusal(["model": "gpt-5", "input": "And then?", "previous_response_id": "resp_123"])
        #expect(error?.status == 400)
        #expect(error?.type == "invalid_request_error")
        #expect(error?.message.contains("stateless") == true)
        #expect(error?.message.contains("full conversation in input") == true)
    }

    @Test func missingModelOrInputIsRefusedByName() {
        #expect(Self.refusal(["input": "Hi"])?.message.hasPrefix("model:") == true)
        #expect(Self.refusal(["input": "Hi"])?.status == 400)
        #expect(Self.refusal(["model": "gpt-5"])?.message.hasPrefix("input:") == true)
        #expect(Self.refusal(["model": "gpt-5", "input": []])?.status == 400)
    }

    @Test func unknownAndIgnoredFieldsAreReported() throws {
        let converted = try Self.decode([
            "model": "gpt-5", "input": "Hi", "store": false, "frobnicate": 1, "user": "u-1",
            "text": ["format": ["type": "json_schema"]],
        ])
        #expect(converted.body["metadata"] == ["user_id": "u-1"])
        #expect(converted.body["store"] == nil)
        // A schema format with no schema is JSON mode, carried (StructuredOutputTests).
        #expect(converted.body["output_config"] == ["format": ["type": "json_object"]])
        let found = converted.diagnostics.map { "\($0.severity) \($0.path)" }
        #expect(found == ["debug /store", "info /frobnicate"])
    }
}
