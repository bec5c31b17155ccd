import Convert
import Foundation
import Testing
import Wire

@testable import Proxy

/// A route's `reasoning_content`: whether a `format: openai` upstream gets
/// earlier thinking back. DeepSeek's and Kimi's thinking models refuse a
/// tool loop's second request without it; OpenAI's own API may refuse the
/// member, so it is decided by host, and said with the key elsewhere.
@Suite struct ChatReasoningContentRouteTests {
    /// Claude Code's second request of a tool loop.
    private static let request: JSONValue = [
        "model": "ds", "max_tokens": 100,
        "messages": [
            ["role": "user", "content": "Weather?"],
            [
                "role": "assistant",
                "content": [
                    ["type": "thinking", "thinking": "Call the tool.", "signature": ""],
                    ["type": "tool_use", "id": "call_1", "name": "weather", "input": [:]],
                ],
            ],
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_1", "content": "Sunny"]]],
        ],
    ]

    /// Through the proxy, the route's key decides what the upstream gets.
    @Test(arguments: [(nil, nil), ("true", "Call the tool."), ("false", nil)] as [(String?, JSONValue?)])
    func theUpstreamGetsTheThinkingAsTheRouteSays(key: String?, sent: JSONValue?) async throws {
        let yaml: (String) -> String = { base in
            """
            models:
              - model_id: ds
                model_name: deepseek-reasoner
                api_base: \(base)/v1
                format: openai
                api_key: sk-upstream
            \(key.map { "    reasoning_content: \($0)\n" } ?? "")
            """
        }
        try await ProxyHarness.run(configYAML: yaml) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post("/v1/messages", json: Self.request)
            #expect(reply.status == 200, "\(reply.text)")
            let upstream = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            let assistant = try #require(upstream["messages"]?[1])
            #expect(assistant["role"] == "assistant")
            #expect(assistant["reasoning_content"] == sent)
        }
    }

    /// DeepSeek's and Moonshot's own APIs default to sending it; OpenAI's,
    /// any other server and other formats do not.
    @Test func deepSeekAndMoonshotHostsDefaultToSendingIt() throws {
        let yaml = """
            models:
              - {model_id: deepseek, model_name: deepseek-reasoner, api_base: "https://API.deepseek.com/v1", format: openai}
              - {model_id: kimi, model_name: kimi-k2-thinking, api_base: "https://api.moonshot.ai/v1", format: openai}
              - {model_id: kimi-cn, model_name: kimi-k2-thinking, api_base: "https://api.moonshot.cn/v1", format: openai}
              - {model_id: openai, model_name: gpt-5, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: vllm, model_name: qwen3, api_base: "http://gpu:8000/v1", format: openai, reasoning_content: true}
              - {model_id: off, model_name: deepseek-chat, api_base: "https://api.deepseek.com", format: openai, reasoning_content: false}
              - {model_id: responses, model_name: gpt-5, api_base: "https://api.deepseek.com/v1", format: openai-responses}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let routes = config.models.map { $0.routeOptions(requestedModel: "x") }
        #expect(routes.map(\.chatReasoningContent) == [true, true, true, nil, true, nil, nil])
        // Recorded in the route line, so `log-replay verify` converts alike.
        #expect(routes[0].json["reasoning_content"] == true)
        #expect(routes[3].json["reasoning_content"] == nil)
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(routes[0].json.serialized()))
        #expect(decoded == routes[0])
        // `config print` shows what each route sends, and reads back alike.
        let printed = EffectiveConfigPrinter().render(config)
        #expect(printed.components(separatedBy: "    reasoning_content: true\n").count == 5)
        #expect(printed.components(separatedBy: "    reasoning_content: false\n").count == 3)
        #expect(printed.contains("    reasoning_content: null  # not format openai\n"))
        let reread = try ProxyConfig.parse(yaml: printed, file: "printed.yaml")
        #expect(reread.models.map(\.chatReasoningContent) == config.models.map(\.chatReasoningContent))
    }

    /// On a format with its own way of carrying thinking, or with a value
    /// that is not a boolean, the key is a config error saying what to write.
    @Test func aWrongFormatOrValueIsAConfigError() throws {
        func failure(format: String, value: String) throws -> ConfigError {
            let yaml = """
                models:
                  - model_id: a
                    model_name: m
                    api_base: https://example.com/v1
                    format: \(format)
                    reasoning_content: \(value)

                """
            return try #require(throws: ConfigError.self) { try ProxyConfig.parse(yaml: yaml, file: "m.yaml") }
        }
        let gemini = try failure(format: "gemini", value: "true")
        #expect(gemini.line == 6)
        #expect(gemini.problem == "`reasoning_content` of `a` applies to `format: openai` only, not `gemini`")
        #expect(gemini.fix == "Remove it: the proxy sends thinking to this format in the format's own way.")
        let word = try failure(format: "openai", value: "always")
        #expect(word.problem == "`reasoning_content` must be true or false")
    }
}
