import Convert
import TestSupport
import Testing
import Wire

@testable import Proxy

/// A Responses client's tool loop on routes whose reasoning is not OpenAI's:
/// what the first answer's `reasoning` items carry must reach the upstream
/// again when the client sends them back, as it does with OpenAI's own
/// encrypted content.
@Suite struct ResponsesClientReasoningRouteTests {
    private static let tools: JSONValue = [
        [
            "type": "function", "name": "weather",
            "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
        ]
    ]

    /// The client's second request: its first, the first answer's output
    /// items as they came, and the tool's output.
    private static func secondTurn(model: String, output: [JSONValue]) -> JSONValue {
        let callID = output.first { $0["type"] == "function_call" }?["call_id"] ?? ""
        return [
            "model": .string(model), "store": false, "include": ["reasoning.encrypted_content"],
            "reasoning": ["effort": "medium"], "tools": tools,
            "input": .array(
                [["role": "user", "content": "Weather in Paris?"]] + output
                    + [["type": "function_call_output", "call_id": callID, "output": "Sunny"]]),
        ]
    }

    /// A Claude route: the thinking block and its signature come back, so
    /// thinking stays on for the tool result's turn.
    @Test func anAnthropicSignatureComesBack() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(
                200,
                #"""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude",
                "content":[{"type":"thinking","thinking":"Call the tool.","signature":"EqSigFromClaude=="},
                {"type":"redacted_thinking","data":"EmRedacted"},
                {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}],
                "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}
                """#)
            let first = try await proxy.post(
                "/v1/responses",
                json: [
                    "model": "claude", "store": false, "include": ["reasoning.encrypted_content"],
                    "reasoning": ["effort": "medium"], "tools": Self.tools, "input": "Weather in Paris?",
                ])
            #expect(first.status == 200, "\(first.text)")
            let output = try #require(first.json?["output"]?.arrayValue)
            #expect(output.map { $0["type"] } == ["reasoning", "reasoning", "function_call"])
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let second = try await proxy.post("/v1/responses", json: Self.secondTurn(model: "claude", output: output))
            #expect(second.status == 200, "\(second.text)")
            let upstream = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(upstream["thinking"]?["type"] == "enabled")
            #expect(
                upstream["messages"]?[1]?["content"]
                    == [
                        ["type": "thinking", "thinking": "Call the tool.", "signature": "EqSigFromClaude=="],
                        ["type": "redacted_thinking", "data": "EmRedacted"],
                        ["type": "tool_use", "id": "toolu_1", "name": "weather", "input": ["city": "Paris"]],
                    ])
        }
    }

    /// A DeepSeek-like route: the reasoning text comes back as the tool
    /// call message's `reasoning_content`, not an empty one.
    @Test func reasoningContentComesBack() async throws {
        let yaml: (String) -> String = { base in
            """
            models:
              - model_id: ds
                model_name: deepseek-reasoner
                api_base: \(base)/v1
                format: openai
                reasoning_content: true
            """
        }
        try await ProxyHarness.run(configYAML: yaml) { proxy in
            proxy.stub.reply = .json(
                200,
                #"""
                {"id":"c1","object":"chat.completion","created":1,"model":"deepseek-reasoner",
                "choices":[{"index":0,"message":{"role":"assistant","content":null,
                "reasoning_content":"Ask the weather tool.",
                "tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]},
                "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}
                """#)
            let first = try await proxy.post(
                "/v1/responses",
                json: ["model": "ds", "store": false, "tools": Self.tools, "input": "Weather in Paris?"])
            #expect(first.status == 200, "\(first.text)")
            let output = try #require(first.json?["output"]?.arrayValue)
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let second = try await proxy.post("/v1/responses", json: Self.secondTurn(model: "ds", output: output))
            #expect(second.status == 200, "\(second.text)")
            let upstream = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            let assistant = try #require(upstream["messages"]?[1])
            // The id the client was given: the upstream's `call_1` is too
            // short to be unique across turns, so the proxy made it so.
            let callID = output.first { $0["type"] == "function_call" }?["call_id"]
            #expect(callID != nil && callID != "call_1")
            #expect(assistant["tool_calls"]?[0]?["id"] == callID)
            #expect(assistant["reasoning_content"] == "Ask the weather tool.")
        }
    }
}
