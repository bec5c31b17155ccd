import Convert
import TestSupport
import Testing
import Wire

@Suite struct OpenAIResponsesRequestConverterTests {
    static func request(
        _ extra: JSONObject = [:], messages: JSONValue = [["role": "user", "content": "Hi"]]
    ) -> JSONValue {
        var body: JSONObject = ["model": "claude-sonnet", "max_tokens": 1024, "messages": messages]
        for member in extra { body[member.key] = member.value }
        return .object(body)
    }

    static func convert(_ request: JSONValue, route: RouteOptions = TestRoutes.responses) throws -> ConvertedRequest {
        try RequestConverter.convert(anthropicRequest: request, route: route)
    }

    @Test func minimalRequestIsExact() throws {
        let converted = try Self.convert(Self.request(["stream": true, "system": "Be brief."]))
        #expect(
            converted.body.serializedString()
                == #"{"model":"gpt-5.1-codex-max","instructions":"Be brief.","input":[{"role":"user","content":"Hi"}],"max_output_tokens":1024,"store":false,"stream":true}"#
        )
        #expect(converted.diagnostics == [])
    }

    @Test func conversationWithToolsReasoningAndResults() throws {
        let converted = try Self.convert(
            Self.request(
                [
                    "tools": [
                        [
                            "name": "Read", "description": "Reads",
                            "input_schema": ["type": "object", "properties": ["p": ["type": "string"]]],
                        ]
                    ],
                    "tool_choice": ["type": "any", "disable_parallel_tool_use": true],
                    "thinking": ["type": "enabled", "budget_tokens": 10000], "stop_sequences": ["END"],
                ],
                messages: [
                    [
                        "role": "user",
                        "content": [
                            ["type": "text", "text": "Read a"],
                            [
                                "type": "image",
                                "source": ["type": "base64", "media_type": "image/png", "data": "iVBOR"],
                            ],
                        ],
                    ],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "thinking", "thinking": "Plan", "signature": "openai-reasoning:ENC"],
                            ["type": "thinking", "thinking": "foreign", "signature": "EqQB"],
                            ["type": "text", "text": "Reading."],
                            ["type": "tool_use", "id": "call_1", "name": "Read", "input": ["p": "a"]],
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [
                            ["type": "tool_result", "tool_use_id": "call_1", "content": "denied", "is_error": true],
                            ["type": "text", "text": "Go on"],
                        ],
                    ],
                ]))
        let body = converted.body
        #expect(
            body["input"]
                == [
                    [
                        "role": "user",
                        "content": [
                            ["type": "input_text", "text": "Read a"],
                            ["type": "input_image", "image_url": "data:image/png;base64,iVBOR"],
                        ],
                    ],
                    [
                        "type": "reasoning", "summary": [["type": "summary_text", "text": "Plan"]],
                        "encrypted_content": "ENC",
                    ],
                    ["role": "assistant", "content": "Reading."],
                    ["type": "function_call", "call_id": "call_1", "name": "Read", "arguments": #"{"p":"a"}"#],
                    ["type": "function_call_output", "call_id": "call_1", "output": "Error: denied"],
                    ["role": "user", "content": [["type": "input_text", "text": "Go on"]]],
                ])
        #expect(
            body["tools"]
                == [
                    [
                        "type": "function", "name": "Read", "description": "Reads",
                        "parameters": ["type": "object", "properties": ["p": ["type": "string"]]], "strict": false,
                    ]
                ])
        #expect(body["tool_choice"] == "required")
        #expect(body["parallel_tool_calls"] == false)
        #expect(body["reasoning"] == ["effort": "medium", "summary": "auto"])
        #expect(body["include"] == ["reasoning.encrypted_content"])
        // Nothing is lost: the proxy applies them to the answer.
        #expect(
            converted.diagnostics.contains {
                $0.path == "/stop_sequences" && $0.severity == .info
                    && $0.message == "OpenAI Responses takes no stop sequences; the proxy applies them to the answer"
            })
        #expect(body["stop"] == nil && body["stop_sequences"] == nil)
        #expect(converted.diagnostics.contains { $0.path == "/messages/1/content/1" && $0.severity == .info })
    }

    @Test func streamedReasoningSignatureGoesBackAsEncryptedContent() throws {
        let path = try Fixtures.path("providers/openai-responses/openai-reasoning-encrypted-content.1.chunks.txt")
        let payloads = try OpenAIResponsesStreamFixtureTests.responses(path)[0]
        let streamed = AssembledMessage(
            convertStream(Fixtures.sseBytes(payloads: payloads, framing: .namedByType), route: TestRoutes.responses))
        let thinking = streamed.blocks[0]
        let call = streamed.blocks[1]
        let converted = try Self.convert(
            Self.request(messages: [
                ["role": "user", "content": "Compute"],
                [
                    "role": "assistant",
                    "content": [
                        [
                            "type": "thinking", "thinking": .string(thinking.text),
                            "signature": .string(thinking.signature ?? ""),
                        ],
                        [
                            "type": "tool_use", "id": .string(call.id ?? ""), "name": "calculator",
                            "input": ["a": 12, "b": 7, "op": "add"],
                        ],
                    ],
                ],
                [
                    "role": "user",
                    "content": [["type": "tool_result", "tool_use_id": .string(call.id ?? ""), "content": "19"]],
                ],
            ]))
        let input = try #require(converted.body["input"]?.arrayValue)
        let encrypted = try JSONValue(
            parsing: payloads.first { $0.contains(#""type":"response.output_item.done""#) } ?? "")
        #expect(input[1]["type"] == "reasoning")
        #expect(input[1]["encrypted_content"] == encrypted["item"]?["encrypted_content"])
        #expect(input[2]["call_id"] == "call_AB6AaRZ1FYZB2RwS6A5vbdqn")
        #expect(
            input[3] == ["type": "function_call_output", "call_id": "call_AB6AaRZ1FYZB2RwS6A5vbdqn", "output": "19"])
    }

    @Test func claudeCodeRequestsConvert() throws {
        for request in try ClaudeCodeRequestTests.requests() {
            let converted = try Self.convert(request)
            let body = converted.body
            #expect(body["instructions"]?.stringValue?.hasPrefix("x-anthropic-billing-header") == true)
            let names = request["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(body["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == names)
            #expect(body["reasoning"] == ["effort": "medium"], "display: omitted asks for no summary")
            #expect(body["store"] == false)
            #expect((body["user"]?.stringValue?.count ?? 100) <= 64)
            let warnings = converted.diagnostics.filter { $0.severity == .warning }
            #expect(warnings.isEmpty, "\(warnings)")
        }
        let second = try Self.convert(try ClaudeCodeRequestTests.requests()[1]).body["input"]?.arrayValue ?? []
        #expect(
            second.map { $0["type"]?.stringValue ?? $0["role"]?.stringValue ?? "" }.suffix(3) == [
                "assistant", "function_call", "function_call_output",
            ])
        #expect(second.last?["call_id"] == "toolu_01")
        #expect(second.last?["output"]?.stringValue?.hasPrefix("File created successfully") == true)
    }
}
