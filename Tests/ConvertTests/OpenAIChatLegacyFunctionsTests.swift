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

    static let geminiRoute = RouteOptions(
        modelID: "m", upstreamDialect: .gemini, upstreamModel: "gemini-3-pro-preview")

    static func legacyClient(stream: Bool = false, turnTwo: Bool = false) throws -> ClientRequest {
        var messages: [JSONValue] = [["role": "user", "content": "Weather in Paris?"]]
        if turnTwo {
            messages += [
                [
                    "role": "assistant", "content": nil,
                    "function_call": ["name": "weather", "arguments": #"{"city":"Paris"}"#],
                ],
                ["role": "function", "name": "weather", "content": "Sunny"],
            ]
        }
        return try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: [
                "model": "m", "stream": .bool(stream), "functions": functions, "messages": .array(messages),
            ])
    }

    /// A legacy `function_call` has no id to carry Gemini's thoughtSignature
    /// back in, and its arguments and name are the model's own: the call of
    /// turn 2 goes to Gemini with Google's placeholder, which Gemini 3
    /// accepts where it refuses a call with no signature.
    @Test func turnTwoOnAGeminiRouteSignsTheCallWithThePlaceholder() throws {
        let converted = try Self.legacyClient(turnTwo: true).upstreamBody(route: Self.geminiRoute)
        let contents = converted.body["contents"]
        #expect(
            contents?[1]
                == [
                    "role": "model",
                    "parts": [
                        [
                            "functionCall": ["name": "weather", "args": ["city": "Paris"]],
                            "thoughtSignature": "skip_thought_signature_validator",
                        ]
                    ],
                ])
        #expect(contents?[2]?["parts"]?[0]?["functionResponse"]?["name"] == "weather")
        #expect(contents?.arrayValue?.count == 3)
    }

    static let twoCallsFromGemini: JSONValue = [
        "candidates": [
            [
                "content": [
                    "role": "model",
                    "parts": [
                        ["functionCall": ["name": "weather", "args": ["city": "Paris"]], "thoughtSignature": "c2ln"],
                        ["functionCall": ["name": "forecast", "args": ["city": "Rome"]]],
                    ],
                ],
                "finishReason": "STOP", "index": 0,
            ]
        ],
        "usageMetadata": ["promptTokenCount": 3, "candidatesTokenCount": 4, "totalTokenCount": 7],
    ]

    static let droppedForecast = ConversionDiagnostic(
        severity: .warning, path: "",
        message: "the upstream made 2 function calls; a legacy function_call answer has room for the first only, "
            + "so these were left out: `forecast`")

    /// Gemini has no way to be asked for one call: a second one, which the
    /// legacy answer has no room for, is left out with a warning.
    @Test func aSecondCallLeftOutOfTheAnswerIsAWarning() throws {
        let converted = try Self.legacyClient().clientResponse(
            upstreamBody: Self.twoCallsFromGemini, route: Self.geminiRoute, createdAt: 0)
        #expect(
            converted.body["choices"]?[0]?["message"]?["function_call"]
                == ["name": "weather", "arguments": #"{"city":"Paris"}"#])
        #expect(converted.diagnostics.contains(Self.droppedForecast), "\(converted.diagnostics)")
    }

    /// Streamed, or a whole answer (`answeredWhole`) made into the client's stream.
    @Test(arguments: [false, true])
    func aSecondCallLeftOutOfTheStreamIsAWarning(answeredWhole: Bool) throws {
        var converter = try Self.legacyClient(stream: true).streamConverter(
            route: Self.geminiRoute, createdAt: 0, answeredWhole: answeredWhole)
        let body = Self.twoCallsFromGemini.serializedString()
        var frames = converter.receive(Array((answeredWhole ? body : "data: \(body)\r\n\r\n").utf8))
        frames += converter.finish(error: nil)
        let calls = frames.compactMap { try? JSONValue(parsing: $0.data)["choices"]?[0]?["delta"]?["function_call"] }
        #expect(calls.compactMap { $0["name"] } == ["weather"])
        #expect(converter.takeDiagnostics() == [Self.droppedForecast])
        #expect(ClientStreamChecker.violations(in: frames, dialect: .openai, expectUsage: false) == [])
    }
}
