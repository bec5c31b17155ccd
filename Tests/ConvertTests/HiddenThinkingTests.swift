import Convert
import SSE
import TestSupport
import Testing
import Wire

/// A client that asked for thinking to be hidden gets no thinking text on a
/// converted route either, only the signatures it must send back.
@Suite struct HiddenThinkingTests {
    static let anthropicRequest: JSONValue = [
        "model": "m", "max_tokens": 2000, "thinking": ["type": "enabled", "budget_tokens": 1024, "display": "omitted"],
        "messages": [["role": "user", "content": "Hi"]],
    ]

    static let chatAnswer: JSONValue = [
        "id": "c1", "object": "chat.completion", "created": 1, "model": "deepseek-reasoner",
        "choices": [
            [
                "index": 0, "finish_reason": "stop",
                "message": ["role": "assistant", "content": "Hello.", "reasoning_content": "Secret plan."],
            ]
        ],
        "usage": ["prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5],
    ]

    /// Unsigned reasoning, hidden, rides in the signature for the next request.
    static let carrier: JSONValue = .string("pivot-reasoning:" + Base64.encode(Array("Secret plan.".utf8)))

    @Test func omittedDisplayHidesAChatUpstreamsReasoning() throws {
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: Self.anthropicRequest)
        let answer = try client.clientResponse(upstreamBody: Self.chatAnswer, route: TestRoutes.openAI, createdAt: 0)
        #expect(
            answer.body["content"]
                == [
                    ["type": "thinking", "thinking": "", "signature": Self.carrier],
                    ["type": "text", "text": "Hello."],
                ])
        // Shown as usual when the client did not ask.
        var shown = Self.anthropicRequest
        shown["thinking"] = ["type": "enabled", "budget_tokens": 1024]
        let plain = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: shown)
            .clientResponse(upstreamBody: Self.chatAnswer, route: TestRoutes.openAI, createdAt: 0)
        #expect(plain.body["content"]?[0]?["thinking"] == "Secret plan.")
    }

    @Test func omittedDisplayHidesAChatUpstreamsStreamedReasoning() throws {
        let chunks = [
            #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"d","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Secret "},"finish_reason":null}]}"#,
            #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"d","choices":[{"index":0,"delta":{"reasoning_content":"plan."},"finish_reason":null}]}"#,
            #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"d","choices":[{"index":0,"delta":{"content":"Hello."},"finish_reason":"stop"}]}"#,
            "[DONE]",
        ]
        let bytes = Array(chunks.map { "data: \($0)\n\n" }.joined().utf8)
        var request = Self.anthropicRequest
        request["stream"] = true
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: request)
        var converter = client.streamConverter(route: TestRoutes.openAI, createdAt: 0)
        let frames = feed(bytes, to: &converter)
        #expect(AnthropicStreamChecker.violations(in: frames) == [])
        let payloads = try frames.map { try JSONValue(parsing: $0.data) }
        #expect(
            payloads.filter { $0["type"] == "content_block_start" }.map { $0["content_block"] } == [
                ["type": "thinking", "thinking": "", "signature": ""], ["type": "text", "text": ""],
            ])
        #expect(
            payloads.filter { $0["delta"]?["type"] == "signature_delta" }.map { $0["delta"]?["signature"] }
                == [Self.carrier])
        #expect(!frames.contains { $0.data.contains("Secret") })
        #expect(frames.contains { $0.data.contains("Hello.") })
    }

    /// The hidden text sent back goes to a `reasoning_content` route as the
    /// reasoning it was, and to no Claude route.
    @Test func hiddenReasoningComesBackAsReasoningContent() throws {
        let request: JSONValue = [
            "model": "m", "max_tokens": 2000,
            "messages": [
                ["role": "user", "content": "Weather?"],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "", "signature": Self.carrier],
                        ["type": "tool_use", "id": "call_1", "name": "weather", "input": [:]],
                    ],
                ],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_1", "content": "Sunny"]]],
            ],
        ]
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: request)
        var route = TestRoutes.openAI
        route.chatReasoningContent = true
        let chat = try client.upstreamBody(route: route).body
        #expect(chat["messages"]?[1]?["reasoning_content"] == "Secret plan.")
        let claude = try client.upstreamBody(route: TestRoutes.anthropic).body
        #expect(claude["messages"]?[1]?["content"]?[0]?["type"] == "tool_use")
    }

    /// A Gemini client's `includeThoughts: false` on a Claude route: the
    /// thought part comes without its text, its signature kept.
    @Test func excludedThoughtsHideAClaudeRoutesThinking() throws {
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingBudget": 1024, "includeThoughts": false]],
            ])
        let answer = try client.clientResponse(
            upstreamBody: [
                "id": "msg_1", "type": "message", "role": "assistant", "model": "claude",
                "content": [
                    ["type": "thinking", "thinking": "Secret plan.", "signature": "EqSig"],
                    ["type": "text", "text": "Hello."],
                ],
                "stop_reason": "end_turn", "stop_sequence": nil, "usage": ["input_tokens": 3, "output_tokens": 2],
            ], route: TestRoutes.anthropic, createdAt: 0)
        let parts = try #require(answer.body["candidates"]?[0]?["content"]?["parts"]?.arrayValue)
        // The signature-only thought has no text member (google-genai before 1.60 drops a turn with "").
        #expect(parts.map { $0["text"] } == [nil, "Hello."])
        #expect(parts[0]["thought"] == true)
        #expect(parts[0]["thoughtSignature"] == .string(Base64.encode(Array("pivot:EqSig".utf8))))
        // The upstream is asked to omit them itself: its signature then stands for the
        // empty text the client sends back.
        let sent = try client.upstreamBody(route: TestRoutes.anthropic).body
        #expect(sent["thinking"] == ["type": "enabled", "budget_tokens": 1024, "display": "omitted"])
    }
}
