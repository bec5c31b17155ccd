import Convert
import Testing
import Wire

@Suite struct RequestConverterTests {
    static func convert(_ request: JSONValue, route: RouteOptions = TestRoutes.openAI) throws -> ConvertedRequest {
        try RequestConverter.convert(anthropicRequest: request, route: route)
    }

    static func request(
        _ extra: JSONObject = [:], messages: JSONValue = [["role": "user", "content": "Hi"]]
    ) -> JSONValue {
        var body: JSONObject = ["model": "claude-sonnet", "max_tokens": 1024, "messages": messages]
        for member in extra { body[member.key] = member.value }
        return .object(body)
    }

    @Test func minimalRequest() throws {
        let converted = try Self.convert(Self.request())
        #expect(
            converted.body.description
                == #"{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}],"max_tokens":1024}"#)
        #expect(converted.diagnostics == [])
    }

    @Test func systemStringBlocksAndSystemRoleMessagesBecomeOneLeadingSystemMessage() throws {
        let converted = try Self.convert(
            Self.request(
                [
                    "system": [
                        ["type": "text", "text": "A"],
                        ["type": "text", "text": "B", "cache_control": ["type": "ephemeral"]],
                    ]
                ],
                messages: [
                    ["role": "user", "content": "Hi"],
                    ["role": "system", "content": "C"],
                    ["role": "system", "content": [["type": "text", "text": "D"]]],
                ]))
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages == [["role": "system", "content": "A\n\nB\n\nC\n\nD"], ["role": "user", "content": "Hi"]])
        #expect(converted.diagnostics.contains { $0.path == "/system/1/cache_control" && $0.severity == .debug })
        #expect(converted.diagnostics.contains { $0.path == "/messages/1" && $0.severity == .info })
        let stringSystem = try Self.convert(Self.request(["system": "S"]))
        #expect(stringSystem.body["messages"]?[0] == ["role": "system", "content": "S"])
    }

    @Test func imagesBecomeDataAndPlainURLs() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "What is this?"],
                        ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBOR"]],
                        ["type": "image", "source": ["type": "url", "url": "https://example.com/a.jpg"]],
                    ],
                ]
            ]))
        #expect(
            converted.body["messages"]?[0]?["content"]
                == [
                    ["type": "text", "text": "What is this?"],
                    ["type": "image_url", "image_url": ["url": "data:image/png;base64,iVBOR"]],
                    ["type": "image_url", "image_url": ["url": "https://example.com/a.jpg"]],
                ])
    }

    @Test func toolsKeepTheirSchemaAndDropAnthropicOnlyFields() throws {
        let converted = try Self.convert(
            Self.request([
                "tools": [
                    [
                        "name": "Write", "description": "Writes a file",
                        "input_schema": ["type": "object", "properties": ["path": ["type": "string"]]],
                        "cache_control": ["type": "ephemeral"],
                    ],
                    ["name": "Later", "input_schema": ["type": "object"], "defer_loading": true],
                    ["type": "web_search_20250305", "name": "web_search", "max_uses": 5],
                ],
                "tool_choice": ["type": "any", "disable_parallel_tool_use": true],
            ]))
        #expect(
            converted.body["tools"]
                == [
                    [
                        "type": "function",
                        "function": [
                            "name": "Write", "description": "Writes a file",
                            "parameters": ["type": "object", "properties": ["path": ["type": "string"]]],
                        ],
                    ],
                    ["type": "function", "function": ["name": "Later", "parameters": ["type": "object"]]],
                ])
        #expect(converted.body["tool_choice"] == "required")
        #expect(converted.body["parallel_tool_calls"] == false)
        let debug = converted.diagnostics.filter { $0.severity == .debug }.map(\.path)
        #expect(debug == ["/tools/0/cache_control", "/tools/1/defer_loading"])
        #expect(converted.diagnostics.contains { $0.path == "/tools/2" && $0.severity == .warning })
    }

    @Test func toolChoiceVariants() throws {
        let tools: JSONValue = [["name": "t", "input_schema": ["type": "object"]]]
        let cases: [(JSONValue, JSONValue)] = [
            (["type": "auto"], "auto"),
            (["type": "none"], "none"),
            (["type": "tool", "name": "t"], ["type": "function", "function": ["name": "t"]]),
        ]
        for (choice, expected) in cases {
            let converted = try Self.convert(Self.request(["tools": tools, "tool_choice": choice]))
            #expect(converted.body["tool_choice"] == expected)
            #expect(converted.body["parallel_tool_calls"] == nil)
        }
        let noTools = try Self.convert(Self.request(["tool_choice": ["type": "auto"]]))
        #expect(noTools.body["tool_choice"] == nil)
    }

    @Test func toolUseAndToolResultsBecomeToolCallsAndToolMessagesInOrder() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                ["role": "user", "content": "Do it"],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "hmm", "signature": "sig"],
                        ["type": "text", "text": "Running both."],
                        ["type": "tool_use", "id": "t1", "name": "Read", "input": ["path": "a"]],
                        ["type": "tool_use", "id": "t2", "name": "Bash", "input": ["cmd": "ls"]],
                    ],
                ],
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Also this"],
                        ["type": "tool_result", "tool_use_id": "t2", "content": "files", "is_error": false],
                        [
                            "type": "tool_result", "tool_use_id": "t1", "is_error": true,
                            "content": [["type": "text", "text": "no such file"]],
                        ],
                    ],
                ],
            ]))
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages.count == 5)
        #expect(
            messages[1]
                == [
                    "role": "assistant", "content": "Running both.",
                    "tool_calls": [
                        ["id": "t1", "type": "function", "function": ["name": "Read", "arguments": #"{"path":"a"}"#]],
                        ["id": "t2", "type": "function", "function": ["name": "Bash", "arguments": #"{"cmd":"ls"}"#]],
                    ],
                ])
        #expect(messages[2] == ["role": "tool", "tool_call_id": "t2", "content": "files"])
        #expect(messages[3] == ["role": "tool", "tool_call_id": "t1", "content": "Error: no such file"])
        #expect(messages[4] == ["role": "user", "content": "Also this"])
        #expect(converted.diagnostics.contains { $0.path == "/messages/1/content/0" })
    }

    @Test func assistantWithOnlyToolUseHasNullContent() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                ["role": "user", "content": "x"],
                ["role": "assistant", "content": [["type": "tool_use", "id": "t", "name": "n", "input": [:]]]],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "t"]]],
            ]))
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages[1]["content"] == .null)
        #expect(messages[1]["tool_calls"]?[0]?["function"]?["arguments"] == "{}")
        #expect(messages[2] == ["role": "tool", "tool_call_id": "t", "content": ""])
    }

    @Test func imagesInToolResultsFollowTheToolMessages() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                [
                    "role": "assistant",
                    "content": [["type": "tool_use", "id": "s", "name": "Screenshot", "input": [:]]],
                ],
                [
                    "role": "user",
                    "content": [
                        [
                            "type": "tool_result", "tool_use_id": "s",
                            "content": [
                                ["type": "text", "text": "taken"],
                                [
                                    "type": "image",
                                    "source": ["type": "base64", "media_type": "image/jpeg", "data": "AAA"],
                                ],
                            ],
                        ]
                    ],
                ],
            ]))
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages[1] == ["role": "tool", "tool_call_id": "s", "content": "taken"])
        #expect(
            messages[2]
                == [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Returned by tool call s:"],
                        ["type": "image_url", "image_url": ["url": "data:image/jpeg;base64,AAA"]],
                    ],
                ])
    }

    @Test func orphanToolResultBecomesText() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "gone", "content": "r"]]]
            ]))
        #expect(converted.body["messages"]?[0] == ["role": "user", "content": "Result of tool call gone:\nr"])
        #expect(converted.diagnostics.map(\.severity) == [.warning])
    }

    @Test func samplingStopAndUserFields() throws {
        let converted = try Self.convert(
            Self.request([
                "temperature": 0.2, "top_p": 0.9, "top_k": 5, "stop_sequences": ["END"],
                "metadata": ["user_id": "u-1"], "stream": true,
            ]))
        #expect(converted.body["temperature"] == 0.2)
        #expect(converted.body["top_p"] == 0.9)
        #expect(converted.body["stop"] == ["END"])
        #expect(converted.body["user"] == "u-1")
        #expect(converted.body["stream"] == true)
        #expect(converted.body["stream_options"] == ["include_usage": true])
        #expect(converted.diagnostics.map(\.path) == ["/top_k"])
        #expect(converted.diagnostics.map(\.severity) == [.info], "a sampling setting the client chose")
    }

    @Test func droppedFieldPathsAreJSONPointers() throws {
        let converted = try Self.convert(Self.request(["context_management": [:], "a/b~c": 1]))
        #expect(converted.diagnostics.map(\.path) == ["/context_management", "/a~1b~0c"])
        #expect(converted.diagnostics.allSatisfy { $0.severity == .debug })
    }

    @Test func longUserIDsAreHashedStably() throws {
        let long = String(repeating: "x", count: 100)
        let first = try Self.convert(Self.request(["metadata": ["user_id": .string(long)]]))
        let second = try Self.convert(Self.request(["metadata": ["user_id": .string(long)]]))
        let user = try #require(first.body["user"]?.stringValue)
        #expect(user.count <= 64 && user.hasPrefix("user-"))
        #expect(first.body["user"] == second.body["user"])
    }

    @Test func routeSettingsWin() throws {
        var route = TestRoutes.openAI
        route.maxTokensCap = 8192
        route.temperature = 0.7
        route.reasoningEffort = "low"
        route.extraBody = ["top_p": 1, "stream_options": ["continuous_usage_stats": true], "user": nil]
        let converted = try Self.convert(
            Self.request(
                [
                    "max_tokens": 32000, "temperature": 0.1, "top_p": 0.5, "stream": true,
                    "thinking": ["type": "enabled", "budget_tokens": 30000], "metadata": ["user_id": "u"],
                ]),
            route: route)
        #expect(converted.body["max_tokens"] == 8192)
        #expect(converted.body["temperature"] == 0.7)
        #expect(converted.body["reasoning_effort"] == "low")
        #expect(converted.body["top_p"] == 1)
        #expect(converted.body["stream_options"] == ["include_usage": true, "continuous_usage_stats": true])
        #expect(converted.body["user"] == nil)
        #expect(converted.diagnostics.contains { $0.path == "/max_tokens" })
    }

    @Test func thinkingSettingsBecomeReasoningEffort() throws {
        let cases: [(JSONObject, String?)] = [
            (["thinking": ["type": "enabled", "budget_tokens": 1024]], "low"),
            (["thinking": ["type": "enabled", "budget_tokens": 4096]], "low"),
            (["thinking": ["type": "enabled", "budget_tokens": 10000]], "medium"),
            (["thinking": ["type": "enabled", "budget_tokens": 31999]], "high"),
            (["thinking": ["type": "adaptive"]], nil),
            (["thinking": ["type": "adaptive"], "output_config": ["effort": "medium"]], "medium"),
            (["output_config": ["effort": "max"]], "high"),
            (["thinking": ["type": "disabled"], "output_config": ["effort": "low"]], nil),
            ([:], nil),
        ]
        for (fields, expected) in cases {
            let converted = try Self.convert(Self.request(fields))
            #expect(converted.body["reasoning_effort"]?.stringValue == expected, "\(fields)")
        }
    }

    @Test func anthropicUpstreamKeepsTheBodyButModelAndCap() throws {
        let text =
            #"{"max_tokens":64000,"model":"claude-opus","stream":true,"messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"adaptive"}}"#
        var route = TestRoutes.anthropic
        route.maxTokensCap = 32000
        let converted = try Self.convert(try JSONValue(parsing: text), route: route)
        #expect(
            converted.body.description
                == #"{"max_tokens":32000,"model":"claude-sonnet-4-5-20250929","stream":true,"messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"adaptive"}}"#
        )
        let uncapped = try Self.convert(try JSONValue(parsing: text), route: TestRoutes.anthropic)
        #expect(uncapped.body["max_tokens"] == 64000)
        #expect(uncapped.diagnostics == [])
    }

    /// An Anthropic upstream whose route lowers Claude Code's `max_tokens`
    /// takes its budget below the new cap, and leaves the answer half of it
    /// (up to 4 096 tokens): lowered to `max_tokens - 1`, the answer got a
    /// token. A budget that leaves the answer that much is kept, and one
    /// under a cap the client set itself is the client's.
    @Test(
        arguments: [
            (4_000, 10_000, 2_000), (12_000, 10_000, 7_904), (16_000, 10_000, 10_000), (2_047, 10_000, nil),
            (64_000, 31_999, 31_999),
        ] as [(Int, Int, Int?)])
    func anAnthropicUpstreamsLoweredCapLeavesTheAnswerItsRoom(cap: Int, budget: Int, sent: Int?) throws {
        var route = TestRoutes.anthropic
        route.maxTokensCap = cap
        let request: JSONValue = [
            "model": "claude-opus", "max_tokens": 32_000, "messages": [["role": "user", "content": "Hi"]],
            "thinking": ["type": "enabled", "budget_tokens": .int(Int64(budget))],
        ]
        let converted = try Self.convert(request, route: route)
        #expect(converted.body["max_tokens"] == .int(Int64(min(cap, 32_000))))
        #expect(converted.body["thinking"] == sent.map { ["type": "enabled", "budget_tokens": .int(Int64($0))] })
        let notes = converted.diagnostics.map(\.message).filter { $0.contains("thinking") || $0.contains("budget") }
        switch sent {
        case budget: #expect(notes == [])
        case nil: #expect(notes == ["removed: max_tokens 2047 leaves no room for a thinking budget and an answer"])
        case let sent?:
            #expect(notes == ["budget_tokens 10000 lowered to \(sent), leaving the answer \(cap - sent) of max_tokens"])
        }
    }

    /// A Gemini client's budget passed through under a route's lowered cap
    /// leaves the answer its room (Gemini counts thoughts in the cap), by
    /// Gemini's least (512); with none that fits, the client's budget is
    /// kept (none would be dynamic, free to fill the cap). Dynamic (-1) is
    /// kept.
    @Test(
        arguments: [
            (4_000, 10_000, 2_000, "thinkingBudget 10000 lowered to 2000, leaving the answer 2000 of maxOutputTokens"),
            (
                1_023, 10_000, 10_000,
                "thinkingBudget 10000 kept: maxOutputTokens 1023 leaves no room for Gemini's least budget (512) "
                    + "and an answer"
            ),
            (
                800, 600, 600,
                "thinkingBudget 600 kept: maxOutputTokens 800 leaves no room for Gemini's least budget (512) and an answer"
            ),
            (4_000, -1, -1, nil), (4_000, 1_500, 1_500, nil),
        ] as [(Int, Int, Int, String?)])
    func aGeminiPassThroughsLoweredCapLeavesTheAnswerItsRoom(cap: Int, budget: Int, sent: Int, note: String?) {
        var route = TestRoutes.gemini
        route.maxTokensCap = cap
        let request: JSONObject = [
            "contents": [["role": "user", "parts": [["text": "Hi"]]]],
            "generationConfig": [
                "maxOutputTokens": 32_000,
                "thinkingConfig": ["thinkingBudget": .int(Int64(budget)), "includeThoughts": true],
            ],
        ]
        let converted = RequestConverter.passthrough(request, dialect: .gemini, route: route)
        let thinking: JSONObject = ["thinkingBudget": .int(Int64(sent)), "includeThoughts": true]
        #expect(
            converted.body["generationConfig"]
                == ["maxOutputTokens": .int(Int64(cap)), "thinkingConfig": .object(thinking)])
        let notes = converted.diagnostics.map(\.message).filter { $0.contains("thinking") }
        #expect(notes == (note.map { [$0] } ?? []))
    }

    @Test func everyUpstreamFormatConverts() throws {
        for dialect in Dialect.allCases {
            let route = RouteOptions(modelID: "u", upstreamDialect: dialect, upstreamModel: "m")
            let converted = try Self.convert(Self.request(), route: route)
            #expect(converted.body.serializedString().contains("Hi"), "\(dialect)")
        }
    }
}
