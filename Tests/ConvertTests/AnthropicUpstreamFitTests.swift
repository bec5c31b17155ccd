import Convert
import Testing
import Wire

/// OpenAI and Gemini clients' settings that Anthropic answers with a 400
/// are fitted on the way to an Anthropic upstream, and only there.
@Suite struct AnthropicUpstreamFitTests {
    static func upstream(
        _ body: JSONValue, client: ClientEndpoint = ClientEndpoint(dialect: .openai), to format: Dialect = .anthropic
    ) throws -> ConvertedRequest {
        try ClientRequest(endpoint: client, body: body).upstreamBody(
            route: RouteOptions(modelID: "r", upstreamDialect: format, upstreamModel: "up"))
    }

    static let gemini = ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false)

    /// An OpenAI agent with reasoning and tools: on its second turn the
    /// assistant's tool calls carry no signed thinking (OpenAI reasoning is
    /// not Anthropic's to verify), which Anthropic refuses with thinking on.
    @Test func aToolTurnWithoutVerifiableThinkingTurnsThinkingOff() throws {
        let body: JSONValue = [
            "model": "m", "reasoning_effort": "medium",
            "tools": [["type": "function", "function": ["name": "weather", "parameters": ["type": "object"]]]],
            "messages": [
                ["role": "user", "content": "Weather?"],
                [
                    "role": "assistant", "content": nil, "reasoning_content": "I should call the tool.",
                    "tool_calls": [
                        ["id": "c1", "type": "function", "function": ["name": "weather", "arguments": "{}"]]
                    ],
                ],
                ["role": "tool", "tool_call_id": "c1", "content": "Sunny"],
            ],
        ]
        let converted = try Self.upstream(body)
        #expect(converted.body["thinking"] == nil)
        #expect(converted.diagnostics.contains { $0.path == "/thinking" && $0.severity == .warning })
        // The first turn, and any upstream but Anthropic, keep thinking.
        let firstTurn = try Self.upstream(
            ["model": "m", "reasoning_effort": "medium", "messages": [["role": "user", "content": "Weather?"]]])
        #expect(firstTurn.body["thinking"] == ["type": "enabled", "budget_tokens": 8192])
        #expect(try Self.upstream(body, to: .openaiResponses).body["reasoning"] != nil)
    }

    @Test func samplingWithThinkingIsWhatAnthropicTakes() throws {
        let converted = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": [
                    "temperature": 0, "topP": 0.5, "topK": 40, "thinkingConfig": ["thinkingBudget": 512],
                ],
            ], client: Self.gemini)
        #expect(converted.body["thinking"] == ["type": "enabled", "budget_tokens": 1024])
        #expect(converted.body["max_tokens"] == 8192, "the default: the budget and the room after it are less")
        #expect(converted.body["temperature"] == nil)
        #expect(converted.body["top_p"] == nil)
        #expect(converted.body["top_k"] == nil)
    }

    /// A budget over the client's own cap is fitted below it, leaving the
    /// answer half the cap (up to 4 096 tokens); with no cap, the cap makes
    /// room for the budget and an answer.
    @Test func aBudgetGoesBelowTheCap() throws {
        let capped = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["maxOutputTokens": 8192, "thinkingConfig": ["thinkingBudget": 20000]],
            ], client: Self.gemini)
        #expect(capped.body["thinking"] == ["type": "enabled", "budget_tokens": 4096])
        let uncapped = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingBudget": 20000]],
            ], client: Self.gemini)
        #expect(uncapped.body["thinking"] == ["type": "enabled", "budget_tokens": 20000])
        #expect(uncapped.body["max_tokens"] == 24096)
    }

    /// With no cap, a budget that would make it more than 32 000 (Claude
    /// Opus 4's output limit, which it refuses over) is fitted down so the
    /// budget and the answer's room stay within it, and the client is told;
    /// a cap the client set is kept, and so is a budget below it.
    @Test(arguments: [27_904, 27_905, 30_000, 1_000_000])
    func anUncappedBudgetStaysWithinOpus4sLimit(budget: Int) throws {
        let converted = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingBudget": .int(Int64(budget))]],
            ], client: Self.gemini)
        #expect(converted.body["max_tokens"] == 32_000)
        #expect(converted.body["thinking"] == ["type": "enabled", "budget_tokens": 27_904])
        let notes = converted.diagnostics.filter { $0.path == "/generationConfig/thinkingConfig/thinkingBudget" }
        #expect(
            notes.map(\.message)
                == (budget == 27_904
                    ? []
                    : [
                        "thinking budget \(budget) made 27904: with maxOutputTokens unset, thinking and 4096 tokens "
                            + "of answer stay within 32000, Claude Opus 4's output limit; set maxOutputTokens for more"
                    ]))
        let capped = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": [
                    "maxOutputTokens": 64_000, "thinkingConfig": ["thinkingBudget": .int(Int64(min(budget, 60_000)))],
                ],
            ], client: Self.gemini)
        #expect(capped.body["max_tokens"] == 64_000)
        #expect(capped.body["thinking"]?["budget_tokens"]?.intValue == min(budget, 60_000))
    }

    @Test func forcedToolUseTurnsThinkingOff() throws {
        let converted = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "tools": [["functionDeclarations": [["name": "f", "parameters": ["type": "OBJECT"]]]]],
                "toolConfig": ["functionCallingConfig": ["mode": "ANY"]],
                "generationConfig": ["thinkingConfig": ["thinkingBudget": 2048]],
            ], client: Self.gemini)
        #expect(converted.body["tool_choice"]?["type"] == "any")
        #expect(converted.body["thinking"] == nil)
    }

    @Test func whitespaceStopSequencesGoOnlyWhereAnthropicRefusesThem() throws {
        let body: JSONValue = [
            "model": "m", "stop": ["\n\n", "END", " "], "messages": [["role": "user", "content": "Hi"]],
        ]
        #expect(try Self.upstream(body).body["stop_sequences"] == ["END"])
        let onlyNewline: JSONValue = ["model": "m", "stop": "\n", "messages": [["role": "user", "content": "Hi"]]]
        let converted = try Self.upstream(onlyNewline)
        #expect(converted.body.objectValue?.keys.contains("stop_sequences") == false)
        #expect(converted.diagnostics.contains { $0.path == "/stop_sequences" })
        #expect(try Self.upstream(onlyNewline, to: .gemini).body["generationConfig"]?["stopSequences"] == ["\n"])
    }

    @Test func temperatureIsCappedAndNotSentWithTopP() throws {
        let converted = try Self.upstream(
            ["model": "m", "temperature": 1.5, "top_p": 0.9, "messages": [["role": "user", "content": "Hi"]]])
        #expect(converted.body["temperature"] == 1)
        #expect(converted.body["top_p"] == nil)
        let gemini = try Self.upstream(
            ["model": "m", "temperature": 1.5, "messages": [["role": "user", "content": "Hi"]]], to: .gemini)
        #expect(gemini.body["generationConfig"]?["temperature"] == 1.5)
    }

    /// The effort an OpenAI client asked for reaches an OpenAI upstream as
    /// asked, even when its budget was fitted under a smaller cap (mapped
    /// back from the budget, `high` came back lower); an Anthropic upstream
    /// gets the budget only.
    @Test func theEffortAskedForIsTheEffortSent() throws {
        let chat: JSONValue = [
            "model": "m", "reasoning_effort": "high", "max_completion_tokens": 3000,
            "messages": [["role": "user", "content": "Hi"]],
        ]
        #expect(try Self.upstream(chat, to: .openaiResponses).body["reasoning"]?["effort"] == "high")
        let anthropic = try Self.upstream(chat)
        // Half the cap: the rest is the answer's.
        #expect(anthropic.body["thinking"] == ["type": "enabled", "budget_tokens": 1500])
        #expect(anthropic.body["output_config"] == nil)
        let responses: JSONValue = [
            "model": "m", "reasoning": ["effort": "high"], "max_output_tokens": 5000, "input": "Hi",
        ]
        let toChat = try Self.upstream(responses, client: ClientEndpoint(dialect: .openaiResponses), to: .openai)
        #expect(toChat.body["reasoning_effort"] == "high")
    }

    /// Kimi's `functions.get_weather:0` in an OpenAI client's history:
    /// Anthropic takes `[A-Za-z0-9_-]` only; the call and its result keep
    /// their pairing.
    @Test func toolIDsAreWhatAnthropicTakes() throws {
        let body: JSONValue = [
            "model": "m",
            "messages": [
                ["role": "user", "content": "Weather?"],
                [
                    "role": "assistant", "content": nil,
                    "tool_calls": [
                        [
                            "id": "functions.get_weather:0", "type": "function",
                            "function": ["name": "get_weather", "arguments": "{}"],
                        ]
                    ],
                ],
                ["role": "tool", "tool_call_id": "functions.get_weather:0", "content": "Sunny"],
            ],
        ]
        let converted = try Self.upstream(body)
        #expect(converted.body["messages"]?[1]?["content"]?[0]?["id"] == "functions_get_weather_0")
        #expect(converted.body["messages"]?[2]?["content"]?[0]?["tool_use_id"] == "functions_get_weather_0")
        #expect(
            try Self.upstream(body, to: .openai).body["messages"]?[1]?["tool_calls"]?[0]?["id"]
                == "functions.get_weather:0")
    }

    /// Gemini 3's `thinkingLevel` is an effort; a budget of 0 turns
    /// thinking off.
    @Test func geminiThinkingLevelsAndAZeroBudget() throws {
        let high = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingLevel": "HIGH"]],
            ], client: Self.gemini)
        #expect(high.body["thinking"] == ["type": "enabled", "budget_tokens": 24576])
        #expect(high.body["max_tokens"] == 28672, "an unset cap is the budget and the answer's room after it")
        let toOpenAI = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingLevel": "low"]],
            ], client: Self.gemini, to: .openai)
        #expect(toOpenAI.body["reasoning_effort"] == "low")
        let off = try Self.upstream(
            [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingBudget": 0]],
            ], client: Self.gemini)
        #expect(off.body["thinking"] == ["type": "disabled"])
    }

    /// A Gemini turn of a function response, text, and another response:
    /// Anthropic wants the results first; topK, a float in Gemini's SDKs,
    /// is Anthropic's integer.
    @Test func toolResultsGoFirstAndTopKIsAnInteger() throws {
        let converted = try Self.upstream(
            [
                "contents": [
                    ["role": "user", "parts": [["text": "Both?"]]],
                    GeminiClientRequestTests.twoCallsTurn,
                    [
                        "role": "user",
                        "parts": [
                            ["functionResponse": ["name": "a", "id": "ca", "response": ["x": 1]]],
                            ["text": "and"],
                            ["functionResponse": ["name": "b", "id": "cb", "response": ["y": 2]]],
                        ],
                    ],
                ],
                "generationConfig": ["topK": 40.0],
            ], client: Self.gemini)
        let types = converted.body["messages"]?[2]?["content"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" }
        #expect(types == ["tool_result", "tool_result", "text"])
        #expect(converted.body["top_k"] == .int(40))
    }

    /// An Anthropic client's request is its own: nothing is fitted.
    @Test func anAnthropicClientsRequestGoesAsSent() throws {
        let body: JSONValue = [
            "model": "m", "max_tokens": 100, "temperature": 0.5, "top_p": 0.9, "stop_sequences": ["\n"],
            "messages": [["role": "user", "content": "Hi"]],
        ]
        let converted = try Self.upstream(body, client: ClientEndpoint(dialect: .anthropic))
        #expect(converted.body["top_p"] == 0.9)
        #expect(converted.body["stop_sequences"] == ["\n"])
    }
}
