import Convert
import TestSupport
import Testing
import Wire

@Suite struct GeminiClientRequestTests {
    static func decode(_ body: JSONValue, stream: Bool = false) throws(APIError) -> ConvertedRequest {
        try GeminiClientCodec.decodeRequest(body, model: "claude-test", stream: stream)
    }

    @Test func textWithSystemInstructionAndGenerationConfig() throws {
        let converted = try Self.decode(
            [
                "systemInstruction": ["parts": [["text": "Be brief."], ["text": "Answer in French."]]],
                "contents": [["role": "user", "parts": [["text": "Hello"]]]],
                "generationConfig": [
                    "maxOutputTokens": 4096, "temperature": 0.5, "topP": 0.9, "topK": 40, "stopSequences": ["END"],
                    "thinkingConfig": ["thinkingBudget": 2048],
                ],
            ], stream: true)
        #expect(
            converted.body
                == [
                    "model": "claude-test", "stream": true, "max_tokens": 4096,
                    "system": "Be brief.\n\nAnswer in French.",
                    "messages": [["role": "user", "content": [["type": "text", "text": "Hello"]]]],
                    "temperature": 0.5, "top_p": 0.9, "top_k": 40, "stop_sequences": ["END"],
                    "thinking": ["type": "enabled", "budget_tokens": 2048],
                ])
        #expect(converted.diagnostics == [])
    }

    @Test func defaultsAndSnakeCaseAndUnknownFields() throws {
        let converted = try Self.decode([
            "system_instruction": ["parts": [["text": "S"]]],
            "contents": [["parts": [["text": "Hi"]]]],
            "generation_config": ["thinking_config": ["thinking_budget": 0], "seed": 7, "response_logprobs": true],
            "safetySettings": [],
        ])
        #expect(converted.body["stream"] == nil)
        #expect(converted.body["max_tokens"] == 8192)
        #expect(converted.body["system"] == "S")
        #expect(converted.body["thinking"] == ["type": "disabled"], "a budget of 0 is no thinking")
        #expect(converted.body["messages"]?[0]?["role"] == "user")
        #expect(converted.body["seed"] == 7, "carried for the upstreams that take it")
        #expect(converted.diagnostics.map(\.path) == ["/generation_config/response_logprobs", "/safetySettings"])
        #expect(converted.diagnostics.map(\.severity) == [.info, .debug])
    }

    @Test func inlineImageAndPDFAndUnsupportedMedia() throws {
        let converted = try Self.decode([
            "contents": [
                [
                    "role": "user",
                    "parts": [
                        ["text": "What is this?"],
                        ["inlineData": ["mimeType": "image/png", "data": "iVBORw0KGgo="]],
                        ["inline_data": ["mime_type": "application/pdf", "data": "JVBERi0="]],
                        ["inlineData": ["mimeType": "audio/wav", "data": "UklGRg=="]],
                        ["fileData": ["fileUri": "https://example.com/cat.jpg"]],
                        ["inlineData": ["mimeType": "text/markdown", "data": "bm90ZXM6IGNhZsOp"]],
                    ],
                ]
            ],
            "generationConfig": ["responseMimeType": "application/json"],
        ])
        let content = try #require(converted.body["messages"]?[0]?["content"]?.arrayValue)
        #expect(
            content == [
                ["type": "text", "text": "What is this?"],
                ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="]],
                [
                    "type": "document",
                    "source": ["type": "base64", "media_type": "application/pdf", "data": "JVBERi0="],
                ],
                ["type": "image", "source": ["type": "url", "url": "https://example.com/cat.jpg"]],
                // Text a client attached: a plain-text document.
                ["type": "document", "source": ["type": "text", "media_type": "text/plain", "data": "notes: café"]],
            ])
        #expect(converted.diagnostics.map(\.path) == ["/contents/0/parts/3"])
        // JSON mode is carried, not dropped (StructuredOutputTests).
        #expect(converted.body["output_config"] == ["format": ["type": "json_object"]])
        #expect(converted.diagnostics.allSatisfy { $0.severity == .warning })
    }

    @Test func functionDeclarationsAndToolConfig() throws {
        let converted = try Self.decode([
            "contents": [["role": "user", "parts": [["text": "Weather?"]]]],
            "tools": [
                [
                    "functionDeclarations": [
                        [
                            "name": "get_weather", "description": "Weather for a city",
                            "parameters": [
                                "type": "OBJECT",
                                "properties": [
                                    "city": ["type": "STRING", "description": "City"],
                                    "days": ["type": "INTEGER", "nullable": true],
                                    "tags": ["type": "ARRAY", "items": ["type": "STRING"]],
                                ],
                                "required": ["city"],
                            ],
                        ],
                        ["name": "now"],
                        [
                            "name": "raw",
                            "parametersJsonSchema": ["type": "object", "properties": ["q": ["type": "string"]]],
                        ],
                    ]
                ],
                ["googleSearch": [:]],
            ],
            "toolConfig": ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["get_weather"]]],
        ])
        let tools = try #require(converted.body["tools"]?.arrayValue)
        #expect(
            tools[0]
                == [
                    "name": "get_weather", "description": "Weather for a city",
                    "input_schema": [
                        "type": "object",
                        "properties": [
                            "city": ["type": "string", "description": "City"],
                            "days": ["type": ["integer", "null"]],
                            "tags": ["type": "array", "items": ["type": "string"]],
                        ],
                        "required": ["city"],
                    ],
                ])
        #expect(tools[1] == ["name": "now", "input_schema": ["type": "object", "properties": [:]]])
        #expect(tools[2]["input_schema"] == ["type": "object", "properties": ["q": ["type": "string"]]])
        #expect(converted.body["tool_choice"] == ["type": "tool", "name": "get_weather"])
        #expect(converted.diagnostics.map(\.path) == ["/tools/1/googleSearch"])
    }

    @Test(arguments: [("AUTO", "auto"), ("ANY", "any"), ("NONE", "none")])
    func toolModes(mode: String, choice: String) throws {
        let converted = try Self.decode([
            "contents": [["parts": [["text": "x"]]]],
            "tools": [["functionDeclarations": [["name": "f"]]]],
            "toolConfig": ["functionCallingConfig": ["mode": .string(mode)]],
        ])
        #expect(converted.body["tool_choice"] == ["type": .string(choice)])
    }

    @Test func functionCallsAndResponsesArePairedByNameInOrder() throws {
        let converted = try Self.decode([
            "contents": [
                ["role": "user", "parts": [["text": "Weather in Paris and Rome?"]]],
                [
                    "role": "model",
                    "parts": [
                        ["functionCall": ["name": "get_weather", "args": ["city": "Paris"]]],
                        ["functionCall": ["name": "get_weather", "args": ["city": "Rome"]]],
                        ["functionCall": ["name": "clock", "args": [:], "id": "call_9"]],
                    ],
                ],
                [
                    "role": "user",
                    "parts": [
                        ["text": "here you go"],
                        ["functionResponse": ["name": "clock", "id": "call_9", "response": ["output": "noon"]]],
                        ["functionResponse": ["name": "get_weather", "response": ["output": "sunny"]]],
                        ["functionResponse": ["name": "get_weather", "response": ["error": "no data"]]],
                    ],
                ],
            ]
        ])
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
        #expect(
            messages[1]["content"]
                == [
                    [
                        "type": "tool_use", "id": "toolu_get_weather_0", "name": "get_weather",
                        "input": ["city": "Paris"],
                    ],
                    [
                        "type": "tool_use", "id": "toolu_get_weather_1", "name": "get_weather",
                        "input": ["city": "Rome"],
                    ],
                    ["type": "tool_use", "id": "call_9", "name": "clock", "input": [:]],
                ])
        #expect(
            messages[2]["content"]
                == [
                    ["type": "tool_result", "tool_use_id": "call_9", "content": "noon"],
                    ["type": "tool_result", "tool_use_id": "toolu_get_weather_0", "content": "sunny"],
                    [
                        "type": "tool_result", "tool_use_id": "toolu_get_weather_1", "content": "no data",
                        "is_error": true,
                    ],
                    ["type": "text", "text": "here you go"],
                ])
    }

    @Test func thoughtPartsAndSignaturesSurviveTheRoundTrip() throws {
        let converted = try Self.decode([
            "contents": [
                ["role": "user", "parts": [["text": "Think"]]],
                [
                    "role": "model",
                    "parts": [
                        ["text": "Let me ", "thought": true],
                        ["text": "see.", "thought": true, "thoughtSignature": "c2lnMQ=="],
                        ["functionCall": ["name": "look", "args": ["q": 1]], "thoughtSignature": "c2lnMg=="],
                        ["text": "Done.", "thoughtSignature": "c2lnMw=="],
                        ["text": "", "thought": true, "thoughtSignature": "pivot:anthropic-sig"],
                        // The proxy's signature-only thought now has no text at all.
                        ["thought": true, "thoughtSignature": "pivot:anthropic-sig2"],
                    ],
                ],
                ["role": "user", "parts": [["functionResponse": ["name": "look", "response": ["result": "ok"]]]]],
            ]
        ])
        let blocks = try #require(converted.body["messages"]?[1]?["content"]?.arrayValue)
        #expect(blocks[0] == ["type": "thinking", "thinking": "Let me see.", "signature": "gemini:c2lnMQ=="])
        let id = try #require(blocks[1]["id"]?.stringValue)
        #expect(id.hasPrefix("toolu_look_0_gsig_"))
        #expect(blocks[2] == ["type": "text", "text": "Done."])
        #expect(blocks[3] == ["type": "thinking", "thinking": "", "signature": "gemini:c2lnMw=="])
        #expect(blocks[4] == ["type": "thinking", "thinking": "", "signature": "anthropic-sig"])
        #expect(blocks[5] == ["type": "thinking", "thinking": "", "signature": "anthropic-sig2"])
        #expect(converted.body["messages"]?[2]?["content"]?[0]?["tool_use_id"] == .string(id))
        // The Gemini upstream gets every signature back where it was.
        let upstream = try RequestConverter.convert(anthropicRequest: converted.body, route: TestRoutes.gemini).body
        let parts = try #require(upstream["contents"]?[1]?["parts"]?.arrayValue)
        #expect(parts[0] == ["text": "Let me see.", "thought": true, "thoughtSignature": "c2lnMQ=="])
        #expect(parts[1]["thoughtSignature"] == "c2lnMg==")
        #expect(parts[2] == ["text": "Done.", "thoughtSignature": "c2lnMw=="])
    }

    /// google-genai decodes a `thoughtSignature` (a `bytes` field) and sends
    /// it back in base64's URL-safe alphabet, unpadded: an Anthropic
    /// signature comes back as it was, and a Gemini one in Gemini's own
    /// alphabet, carried once in the call's id.
    @Test func signaturesTheClientReencodedComeBackAsTheyWere() throws {
        let converted = try Self.decode([
            "contents": [
                ["role": "user", "parts": [["text": "Think"]]],
                [
                    "role": "model",
                    "parts": [
                        // base64url of "pivot:Eq~~>>??"
                        ["text": "Hmm.", "thought": true, "thoughtSignature": "cGl2b3Q6RXF-fj4-Pz8"],
                        ["functionCall": ["name": "look", "args": [:], "id": "c1"], "thoughtSignature": "-_-_Pg"],
                    ],
                ],
            ]
        ])
        let blocks = try #require(converted.body["messages"]?[1]?["content"]?.arrayValue)
        #expect(blocks[0] == ["type": "thinking", "thinking": "Hmm.", "signature": "Eq~~>>??"])
        let id = try #require(blocks[1]["id"]?.stringValue)
        #expect(id.ranges(of: "_gsig_").count == 1)
        let upstream = try RequestConverter.convert(anthropicRequest: converted.body, route: TestRoutes.gemini).body
        let call = upstream["contents"]?[1]?["parts"]?.arrayValue?.first { $0["functionCall"] != nil }
        #expect(call?["thoughtSignature"] == "+/+/Pg==")
    }

    /// Each function response in a turn of its own (the old `function`
    /// role): one user message of both results, which an OpenAI upstream
    /// gets as two tool messages right after the calls.
    /// A model turn calling `a` (id `ca`) and `b` (id `cb`).
    static let twoCallsTurn: JSONValue = [
        "role": "model",
        "parts": [
            ["functionCall": ["name": "a", "args": [:], "id": "ca"]],
            ["functionCall": ["name": "b", "args": [:], "id": "cb"]],
        ],
    ]

    @Test func consecutiveTurnsOfOneRoleAreOneMessage() throws {
        let converted = try Self.decode([
            "contents": [
                ["role": "user", "parts": [["text": "Both?"]]],
                Self.twoCallsTurn,
                [
                    "role": "function",
                    "parts": [["functionResponse": ["name": "a", "id": "ca", "response": ["x": 1]]]],
                ],
                [
                    "role": "function",
                    "parts": [["functionResponse": ["name": "b", "id": "cb", "response": ["y": 2]]]],
                ],
            ]
        ])
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
        #expect(messages[2]["content"]?.arrayValue?.map { $0["tool_use_id"] } == ["ca", "cb"])
        let upstream = try RequestConverter.convert(anthropicRequest: converted.body, route: TestRoutes.openAI).body
        let roles = upstream["messages"]?.arrayValue?.map { $0["role"]?.stringValue ?? "" }
        #expect(roles == ["user", "assistant", "tool", "tool"])
    }

    @Test func moreThanOneCandidateIsRefused() {
        #expect(throws: APIError.self) {
            try Self.decode(["contents": [], "generationConfig": ["candidateCount": 2]])
        }
        do {
            _ = try Self.decode(["contents": [], "generationConfig": ["candidateCount": 2]])
        } catch {
            #expect(error.status == 400)
            #expect(error.message.contains("candidateCount"))
            #expect(error.rendered(in: .gemini)["error"]?["status"] == "INVALID_ARGUMENT")
        }
    }

    @Test func missingOrMistypedContentsIsA400NamingTheField() {
        for body: JSONValue in [["generationConfig": [:]], ["contents": "hello"]] {
            do {
                _ = try Self.decode(body)
                Issue.record("no error for \(body)")
            } catch {
                #expect(error.status == 400)
                #expect(error.message.hasPrefix("contents"))
            }
        }
    }
}
