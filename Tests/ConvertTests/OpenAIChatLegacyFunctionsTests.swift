import Convert
import SSE
import TestSupport
import Testing
import Wire

/// The legacy `functions` / `function_call` of OpenAI Chat Completions, which
/// `tools` / `tool_choice` replaced: still sent by older clients, read into
/// the pivot's tools, and answered in the same legacy form.
@Suite struct OpenAIChatLegacyFunctionsTests {
    static let functions: JSONValue = [
        [
            "name": "weather", "description": "Weather now",
            "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
        ]
    ]

    @Test func functionsAndAHistoryOfFunctionMessagesBecomeToolsAndToolResults() throws {
        let converted = try OpenAIChatClientCodec.decodeRequest([
            "model": "gpt-test", "max_tokens": 100, "functions": Self.functions,
            "function_call": ["name": "weather"],
            "messages": [
                ["role": "user", "content": "Weather in Paris?"],
                [
                    "role": "assistant", "content": nil,
                    "function_call": ["name": "weather", "arguments": #"{"city":"Paris"}"#],
                ],
                ["role": "function", "name": "weather", "content": "Sunny"],
            ],
        ])
        #expect(
            converted.body
                == [
                    "model": "gpt-test", "max_tokens": 100,
                    "messages": [
                        ["role": "user", "content": [["type": "text", "text": "Weather in Paris?"]]],
                        [
                            "role": "assistant",
                            "content": [
                                [
                                    "type": "tool_use", "id": "call_function_1", "name": "weather",
                                    "input": ["city": "Paris"],
                                ]
                            ],
                        ],
                        [
                            "role": "user",
                            "content": [["type": "tool_result", "tool_use_id": "call_function_1", "content": "Sunny"]],
                        ],
                    ],
                    "tools": [
                        [
                            "name": "weather", "description": "Weather now",
                            "input_schema": ["type": "object", "properties": ["city": ["type": "string"]]],
                        ]
                    ],
                    // One call: the legacy answer has room for one.
                    "tool_choice": ["type": "tool", "name": "weather", "disable_parallel_tool_use": true],
                ])
        #expect(converted.diagnostics.isEmpty, "\(converted.diagnostics)")
    }

    @Test(arguments: [("auto", "auto"), ("none", "none")] as [(JSONValue, JSONValue)])
    func functionCallWords(word: JSONValue, type: JSONValue) throws {
        let converted = try OpenAIChatClientCodec.decodeRequest([
            "model": "gpt-test", "functions": Self.functions, "function_call": word,
            "messages": [["role": "user", "content": "Hi"]],
        ])
        var expected: JSONObject = ["type": type]
        if type == "auto" { expected["disable_parallel_tool_use"] = true }
        #expect(converted.body["tool_choice"] == .object(expected))
    }

    @Test(
        arguments: [
            (
                ["functions": functions, "tools": [["type": "function", "function": ["name": "t"]]]] as JSONObject,
                "functions and tools cannot both be given; send tools (functions is deprecated)"
            ),
            (
                ["function_call": "auto", "tool_choice": "auto"],
                "function_call and tool_choice cannot both be given; send tool_choice (function_call is deprecated)"
            ),
            (["function_call": "always"], #"function_call must be auto, none or {name}, got "always""#),
            (["functions": [["description": "no name"]]], "functions[0].name is required and must be a string"),
            (
                [
                    "messages": [
                        ["role": "user", "content": "Hi"], ["role": "function", "name": "weather", "content": "x"],
                    ]
                ],
                "messages[1]: a function message answers the assistant's function_call of the same name just before it, "
                    + "and there is no open call of weather"
            ),
        ] as [(JSONObject, String)])
    func malformedLegacyFieldsAreA400(fields: JSONObject, message: String) {
        var request: JSONObject = ["model": "gpt-test", "messages": [["role": "user", "content": "Hi"]]]
        for member in fields { request[member.key] = member.value }
        let error = #expect(throws: APIError.self) { try OpenAIChatClientCodec.decodeRequest(.object(request)) }
        #expect(error?.status == 400)
        #expect(error?.message == message)
    }

    static let toolUseMessage: JSONValue = [
        "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
        "content": [
            ["type": "text", "text": "Checking."],
            ["type": "tool_use", "id": "toolu_1", "name": "weather", "input": ["city": "Paris"]],
        ],
        "stop_reason": "tool_use", "stop_sequence": nil, "usage": ["input_tokens": 1, "output_tokens": 2],
    ]

    @Test func theAnswerIsAFunctionCall() {
        let response = OpenAIChatClientCodec.encodeResponse(
            Self.toolUseMessage, requestedModel: "gpt-test", created: 1_700_000_000, functionCallForm: true)
        #expect(
            response["choices"]?[0]
                == [
                    "index": 0,
                    "message": [
                        "role": "assistant", "content": "Checking.",
                        "function_call": ["name": "weather", "arguments": #"{"city":"Paris"}"#],
                    ],
                    "logprobs": nil, "finish_reason": "function_call",
                ])
    }

    @Test func theStreamIsFunctionCallDeltas() throws {
        var encoder = OpenAIChatStreamEncoder(
            requestedModel: "gpt-test", includeUsage: false, created: 1_700_000_000, functionCallForm: true)
        let events: [AnthropicStreamEvent] = [
            .messageStart(.init(id: "msg_1", model: "m", usage: ["input_tokens": 1, "output_tokens": 0])),
            .contentBlockStart(index: 0, block: .toolUse(id: "toolu_1", name: "weather", input: [:])),
            .contentBlockDelta(index: 0, delta: .inputJSON(#"{"city":"#)),
            .contentBlockDelta(index: 0, delta: .inputJSON(#""Paris"}"#)),
            .contentBlockStop(index: 0),
            // A second call has no place in the legacy answer.
            .contentBlockStart(index: 1, block: .toolUse(id: "toolu_2", name: "weather", input: [:])),
            .contentBlockDelta(index: 1, delta: .inputJSON(#"{"city":"Rome"}"#)),
            .contentBlockStop(index: 1),
            .messageDelta(.init(stopReason: "tool_use", stopSequence: nil, usage: ["output_tokens": 2])),
            .messageStop,
        ]
        var frames: [SSEEvent] = []
        for event in events { encoder.encode(event, into: &frames) }
        let choices = try frames.dropLast().map { try JSONValue(parsing: $0.data)["choices"]?[0] }
        #expect(
            choices.map { $0?["delta"] } == [
                ["role": "assistant", "content": ""],
                ["function_call": ["name": "weather", "arguments": ""]],
                ["function_call": ["arguments": #"{"city":"#]],
                ["function_call": ["arguments": #""Paris"}"#]],
                [:],
            ])
        #expect(choices.last??["finish_reason"] == "function_call")
        #expect(frames.last?.data == "[DONE]")
    }
}
