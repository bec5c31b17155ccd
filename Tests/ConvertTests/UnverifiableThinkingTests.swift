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
}
