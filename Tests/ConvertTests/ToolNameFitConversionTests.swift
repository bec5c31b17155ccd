import Convert
import SSE
import TestSupport
import Testing
import Wire

/// A converted request's tool names fitted to the upstream's rule, the
/// same in the list, the choice and the history, and the answer's calls
/// given the client's names back; a pass-through's names as they came.
@Suite struct ToolNameFitConversionTests {
    static let mcpName = UpstreamToolNameTests.mcpName
    static let mcpFitted = UpstreamToolNameTests.mcpFitted
    static let gemini = ClientEndpoint(dialect: .gemini, pathModel: "claude", pathStream: false)
    static let readDeclaration: JSONValue = [
        "functionDeclarations": [
            [
                "name": "files.read:v1", "description": "Reads a file",
                "parameters": ["type": "object", "properties": ["path": ["type": "string"]]],
            ]
        ]
    ]

    static func anthropicAnswer(calling name: String) -> JSONValue {
        [
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [["type": "tool_use", "id": "toolu_1", "name": .string(name), "input": ["path": "a"]]],
            "stop_reason": "tool_use", "stop_sequence": nil, "usage": ["input_tokens": 5, "output_tokens": 3],
        ]
    }

    @Test func aGeminiClientsDottedNameReachesAnthropicFittedAndComesBack() throws {
        let client = try ClientRequest(
            endpoint: Self.gemini,
            body: [
                "contents": [["role": "user", "parts": [["text": "Read a"]]]], "tools": [Self.readDeclaration],
                "toolConfig": ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["files.read:v1"]]],
            ])
        let converted = try client.upstreamBody(route: TestRoutes.anthropic)
        #expect(converted.body["tools"]?[0]?["name"] == "files_read_v1")
        #expect(converted.body["tool_choice"] == ["type": "tool", "name": "files_read_v1"])
        let note = try #require(converted.diagnostics.first { $0.path == "/tools/0/name" })
        #expect(note.severity == .info)
        #expect(note.message.contains("\"files.read:v1\"") && note.message.contains("\"files_read_v1\""))

        let answer = try client.clientResponse(
            upstreamBody: Self.anthropicAnswer(calling: "files_read_v1"), route: TestRoutes.anthropic, createdAt: 0)
        #expect(
            answer.body["candidates"]?[0]?["content"]?["parts"]?[0]?["functionCall"]
                == ["name": "files.read:v1", "args": ["path": "a"], "id": "toolu_1"])
    }

    /// Turn 2: the call the client got under its own name is in the
    /// history, and goes up under the fitted one again.
    @Test func aGeminiClientsCallInTheHistoryIsRenamedAlike() throws {
        let client = try ClientRequest(
            endpoint: Self.gemini,
            body: [
                "contents": [
                    ["role": "user", "parts": [["text": "Read a"]]],
                    [
                        "role": "model",
                        "parts": [["functionCall": ["name": "files.read:v1", "args": ["path": "a"], "id": "toolu_1"]]],
                    ],
                    [
                        "role": "user",
                        "parts": [
                            [
                                "functionResponse": [
                                    "name": "files.read:v1", "id": "toolu_1", "response": ["output": "A"],
                                ]
                            ]
                        ],
                    ],
                ],
                "tools": [Self.readDeclaration],
            ])
        let converted = try client.upstreamBody(route: TestRoutes.anthropic)
        #expect(converted.body["tools"]?[0]?["name"] == "files_read_v1")
        #expect(
            converted.body["messages"]?[1]?["content"]
                == [["type": "tool_use", "id": "toolu_1", "name": "files_read_v1", "input": ["path": "a"]]])
    }

    @Test func anAnthropicClientsLongNameIsFittedInEveryPlaceForChat() throws {
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: [
                "model": "claude-test", "max_tokens": 100,
                "tools": UpstreamToolNameTests.tools([Self.mcpName, "Read"]),
                "tool_choice": ["type": "tool", "name": .string(Self.mcpName)],
                "messages": [
                    ["role": "user", "content": "Find my sites"],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "tool_use", "id": "toolu_1", "name": .string(Self.mcpName), "input": [:]]
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [["type": "tool_result", "tool_use_id": "toolu_1", "content": "none"]],
                    ],
                ],
            ])
        let converted = try client.upstreamBody(route: TestRoutes.openAI)
        #expect(converted.body["tools"]?[0]?["function"]?["name"] == .string(Self.mcpFitted))
        #expect(converted.body["tools"]?[1]?["function"]?["name"] == "Read")
        #expect(converted.body["tool_choice"] == ["type": "function", "function": ["name": .string(Self.mcpFitted)]])
        #expect(converted.body["messages"]?[1]?["tool_calls"]?[0]?["function"]?["name"] == .string(Self.mcpFitted))

        // A pass-through keeps the client's names: Anthropic answers for itself.
        let passedThrough = try client.upstreamBody(route: TestRoutes.anthropic)
        #expect(passedThrough.body["tools"]?[0]?["name"] == .string(Self.mcpName))
        #expect(passedThrough.body["messages"]?[1]?["content"]?[0]?["name"] == .string(Self.mcpName))
        #expect(!passedThrough.diagnostics.contains { $0.path.hasSuffix("/name") })
    }

    /// Gemini wants a letter or `_` first; its streamed call of `_1st-tool`
    /// reaches the Anthropic client as `1st-tool`.
    @Test func aGeminiStreamsCallComesBackUnderTheClientsName() throws {
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: [
                "model": "claude-test", "max_tokens": 100, "stream": true,
                "tools": UpstreamToolNameTests.tools(["1st-tool"]),
                "messages": [["role": "user", "content": "Go"]],
            ])
        let converted = try client.upstreamBody(route: TestRoutes.gemini)
        #expect(
            converted.body["tools"]?[0]?["functionDeclarations"]?[0]?["name"] == "_1st-tool", "\(converted.body)")
        var converter = client.streamConverter(route: TestRoutes.gemini, createdAt: 0)
        let chunk =
            #"data: {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"_1st-tool","args":{"a":1}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2}}"#
            + "\n\n"
        let events = feed(Array(chunk.utf8), to: &converter)
        let start = try #require(events.first { $0.event == "content_block_start" })
        #expect(try JSONValue(parsing: start.data)["content_block"]?["name"] == "1st-tool")
        #expect(violations(events).isEmpty)
    }

    /// An upstream asked to stream that answered whole: its call too.
    @Test func aWholeAnswersCallComesBackUnderTheClientsName() throws {
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: [
                "model": "claude-test", "max_tokens": 100, "stream": true,
                "tools": UpstreamToolNameTests.tools([Self.mcpName]),
                "messages": [["role": "user", "content": "Go"]],
            ])
        var converter = client.streamConverter(route: TestRoutes.openAI, createdAt: 0, answeredWhole: true)
        let whole = """
            {"id":"c1","object":"chat.completion","created":1,"model":"deepseek-chat","choices":[{"index":0,\
            "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",\
            "function":{"name":"\(Self.mcpFitted)","arguments":"{}"}}]},"finish_reason":"tool_calls"}],\
            "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
            """
        let events = feed(Array(whole.utf8), to: &converter)
        let start = try #require(events.first { $0.event == "content_block_start" })
        #expect(try JSONValue(parsing: start.data)["content_block"]?["name"] == .string(Self.mcpName))
        #expect(violations(events).isEmpty)
    }
}
