import Convert
import Testing
import Wire

/// Reasoning another provider wrote cannot go to an Anthropic upstream,
/// which verifies every thinking block's signature; other upstreams keep it.
@Suite struct UnverifiableThinkingTests {
    static let request: JSONValue = [
        "model": "m",
        "messages": [
            ["role": "user", "content": "Weather?"],
            [
                "role": "assistant", "content": nil, "reasoning_content": "I should call the tool.",
                "tool_calls": [["id": "c1", "type": "function", "function": ["name": "weather", "arguments": "{}"]]],
            ],
            ["role": "tool", "tool_call_id": "c1", "content": "Sunny"],
        ],
    ]

    static func upstreamBody(_ format: Dialect) throws -> ConvertedRequest {
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .openai), body: request)
        return try client.upstreamBody(
            route: RouteOptions(modelID: "r", upstreamDialect: format, upstreamModel: "up"))
    }

    @Test func anOpenAIClientsReasoningIsDroppedForAnAnthropicUpstream() throws {
        let converted = try Self.upstreamBody(.anthropic)
        let assistant = try #require(converted.body["messages"]?[1])
        let types = (assistant["content"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        #expect(types == ["tool_use"])
        #expect(converted.diagnostics.contains { $0.path == "/messages/1" && $0.severity == .info })
    }

    /// An Anthropic signature that went to a Gemini client (as `pivot:`) and
    /// came back is Anthropic's own, and is kept.
    @Test func anAnthropicSignatureBackFromAGeminiClientIsKept() throws {
        let body: JSONValue = [
            "contents": [
                ["role": "user", "parts": [["text": "Weather?"]]],
                [
                    "role": "model",
                    "parts": [
                        ["text": "Thinking it over.", "thought": true, "thoughtSignature": "pivot:EqQBCkYIBRgCKkA"]
                    ],
                ],
                ["role": "user", "parts": [["text": "And tomorrow?"]]],
            ]
        ]
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false), body: body)
        let converted = try client.upstreamBody(
            route: RouteOptions(modelID: "r", upstreamDialect: .anthropic, upstreamModel: "up"))
        let block = converted.body["messages"]?[1]?["content"]?[0]
        #expect(block?["type"] == "thinking")
        #expect(block?["signature"] == "EqQBCkYIBRgCKkA")
    }

    /// Claude Code after `/model` moved its session from a DeepSeek or
    /// Gemini route to a Claude one: the thinking those routes gave it (no
    /// signature, a `gemini:` one) would make Anthropic refuse every request.
    static func switchedSession(
        signatures: (String, String) = ("", "gemini:Q2lnQQ=="), redacted: Bool = true, temperature: JSONValue = nil
    ) -> JSONValue {
        var toolTurn: [JSONValue] = [
            ["type": "thinking", "thinking": "Gemini's thought.", "signature": .string(signatures.1)]
        ]
        if redacted { toolTurn.append(["type": "redacted_thinking", "data": "EmwKAhgBEgy"]) }
        toolTurn.append(["type": "tool_use", "id": "toolu_1", "name": "Read", "input": ["path": "a.txt"]])
        var body: JSONObject = [
            "model": "claude", "max_tokens": 4_000, "thinking": ["type": "enabled", "budget_tokens": 2_000],
            "messages": [
                ["role": "user", "content": "Write the file."],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "DeepSeek's reasoning.", "signature": .string(signatures.0)],
                        ["type": "text", "text": "Done."],
                    ],
                ],
                ["role": "user", "content": "Now read it."],
                ["role": "assistant", "content": .array(toolTurn)],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_1", "content": "hello"]]],
            ],
        ]
        if temperature != nil { body["temperature"] = temperature }
        return .object(body)
    }

    static func anthropicClientBody(_ body: JSONValue, to format: Dialect) throws -> ConvertedRequest {
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body)
        return try client.upstreamBody(
            route: RouteOptions(modelID: "claude", upstreamDialect: format, upstreamModel: "up"))
    }

    @Test func anAnthropicClientsForeignThinkingIsDroppedForAnAnthropicUpstream() throws {
        let converted = try Self.anthropicClientBody(Self.switchedSession(), to: .anthropic)
        let types = (converted.body["messages"]?.arrayValue ?? []).map { message in
            (message["content"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        }
        #expect(types == [[], ["text"], [], ["redacted_thinking", "tool_use"], ["tool_result"]])
        // The tool turn now starts with a block Anthropic can verify
        // (redacted thinking), so thinking stays on.
        #expect(converted.body["thinking"]?["budget_tokens"] == 2_000)
        #expect(converted.diagnostics.map(\.path) == ["/messages/1", "/messages/3"])
    }

    /// The tool turn's only thinking was another provider's: with it gone,
    /// Anthropic refuses the turn with thinking on, so thinking is off for
    /// this request (and only the thinking: the rest goes as sent).
    @Test func aToolTurnLeftWithoutThinkingTurnsThinkingOff() throws {
        let body = Self.switchedSession(redacted: false, temperature: 0.5)
        let converted = try Self.anthropicClientBody(body, to: .anthropic)
        #expect(converted.body["thinking"] == nil)
        #expect(converted.body["temperature"] == 0.5)
        #expect(converted.diagnostics.contains { $0.path == "/thinking" && $0.severity == .warning })
    }

    /// A tool turn another route answered without any thinking (a fallback
    /// from an OpenAI route, a `/model` switch mid-task), now going to
    /// Claude with `enabled` thinking: Anthropic refuses it with 400, so
    /// thinking is off for this request. With `adaptive` thinking (Claude
    /// Code's), Claude's own tool turns start without thinking too and are
    /// taken, so the request goes as sent.
    @Test func aToolTurnThatNeverHadThinkingTurnsEnabledThinkingOff() throws {
        func session(thinking: JSONValue) -> JSONValue {
            [
                "model": "claude", "max_tokens": 4_000, "thinking": thinking,
                "messages": [
                    ["role": "user", "content": "Read a.txt."],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "text", "text": "Reading it."],
                            ["type": "tool_use", "id": "call_abc", "name": "Read", "input": ["path": "a.txt"]],
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [["type": "tool_result", "tool_use_id": "call_abc", "content": "hi"]],
                    ],
                ],
            ]
        }
        let enabled = session(thinking: ["type": "enabled", "budget_tokens": 2_000])
        let fitted = try Self.anthropicClientBody(enabled, to: .anthropic)
        #expect(fitted.body["thinking"] == nil)
        #expect(fitted.body["messages"] == enabled["messages"])
        #expect(
            fitted.diagnostics.map(\.message) == [
                "the last assistant turn called tools without a thinking block Anthropic can verify, which "
                    + "Anthropic refuses with thinking on; thinking off for this request"
            ])
        // A loop of several calls is one turn: its thinking starts the first
        // message only (Claude does not think again before each call without
        // interleaved thinking), and Anthropic takes it.
        let loop: JSONValue = [
            "model": "claude", "max_tokens": 4_000, "thinking": ["type": "enabled", "budget_tokens": 2_000],
            "messages": [
                ["role": "user", "content": "Read a.txt, then b.txt."],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "Two reads.", "signature": "EqQBCkYIBRgCKkA"],
                        ["type": "tool_use", "id": "toolu_a", "name": "Read", "input": ["path": "a.txt"]],
                    ],
                ],
                [
                    "role": "user",
                    "content": [
                        ["type": "tool_result", "tool_use_id": "toolu_a", "content": "a"],
                        ["type": "text", "text": "<system-reminder>noted</system-reminder>"],
                    ],
                ],
                [
                    "role": "assistant",
                    "content": [["type": "tool_use", "id": "toolu_b", "name": "Read", "input": ["path": "b.txt"]]],
                ],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_b", "content": "b"]]],
            ],
        ]
        let kept = try Self.anthropicClientBody(loop, to: .anthropic)
        #expect(kept.body["thinking"]?["budget_tokens"] == 2_000)
        #expect(kept.diagnostics.isEmpty)
        let adaptive = session(thinking: ["type": "adaptive"])
        let asSent = try Self.anthropicClientBody(adaptive, to: .anthropic)
        #expect(asSent.body["thinking"] == ["type": "adaptive"])
        #expect(asSent.body["messages"] == adaptive["messages"])
        #expect(asSent.diagnostics.isEmpty)
    }

    /// Claude's own signed thinking goes as sent, and a request with nothing
    /// to drop is the client's, untouched.
    @Test func anAnthropicClientsOwnThinkingIsKept() throws {
        let body = Self.switchedSession(signatures: ("EqQBCkYIBRgCKkA", "EpwCCkYIBRgC"))
        let converted = try Self.anthropicClientBody(body, to: .anthropic)
        #expect(converted.body["messages"] == body["messages"])
        #expect(converted.diagnostics.isEmpty)
    }

    /// Only an Anthropic upstream verifies signatures: for others nothing
    /// is dropped on that account (each builder takes what it can).
    @Test func nothingIsDroppedForAnUpstreamOfAnotherDialect() throws {
        for format in [Dialect.openai, .openaiResponses, .gemini] {
            let converted = try Self.anthropicClientBody(Self.switchedSession(), to: format)
            #expect(!converted.diagnostics.contains { $0.message.contains("another provider dropped") }, "\(format)")
        }
    }
}
