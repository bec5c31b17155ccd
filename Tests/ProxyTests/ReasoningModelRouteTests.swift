import Convert
import Foundation
import Testing
import Wire

@testable import Proxy

/// A route's `reasoning_model`: OpenAI's reasoning models (o3, gpt-5)
/// answer 400 to a temperature other than 1 and to stop sequences, so
/// Claude Code routed to them failed on every request.
@Suite struct ReasoningModelRouteTests {
    /// By default, a Chat or Responses route on OpenAI's own API (or
    /// Azure's) to a reasoning model's name; not another server's model of
    /// such a name, nor DeepSeek's reasoner; the key wins both ways.
    @Test func theHostAndTheModelNameDecideUnlessTheRouteSays() throws {
        let yaml = """
            models:
              - {model_id: o3, model_name: o3-2025-04-16, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: chat, model_name: gpt-5-chat-latest, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: azure, model_name: o4-mini, api_base: "https://x.openai.azure.com/openai/v1", format: openai}
              - {model_id: responses, model_name: gpt-5, api_base: "https://api.openai.com/v1", format: openai-responses}
              - {model_id: local, model_name: o3, api_base: "http://localhost:8000/v1", format: openai}
              - {model_id: deepseek, model_name: deepseek-reasoner, api_base: "https://api.deepseek.com", format: openai}
              - {model_id: off, model_name: o3, api_base: "https://api.openai.com/v1", format: openai, reasoning_model: false}
              - {model_id: on, model_name: my-o3, api_base: "http://localhost:8000/v1", format: openai, reasoning_model: true}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let routes = config.models.map { $0.routeOptions(requestedModel: "x") }
        #expect(routes.map(\.reasoningModel) == [true, nil, true, true, nil, nil, nil, true])
        // A reasoning Chat model takes no stop sequences: the proxy applies them.
        #expect(routes.map(\.maxStopSequences) == [0, 4, 0, nil, nil, nil, 4, 0])
        // A reasoning model refuses `max_tokens` wherever it is served: an
        // Azure deployment's cap goes as max_completion_tokens too.
        #expect(
            config.models.map { $0.chatOutputCapField?.rawValue } == [
                "max_completion_tokens", "max_completion_tokens", "max_completion_tokens", nil, nil, nil,
                "max_completion_tokens", "max_completion_tokens",
            ])
        // Recorded in the route line, so `log-replay verify` converts alike.
        #expect(routes[0].json["reasoning_model"] == true && routes[0].json["max_stop_sequences"] == 0)
        #expect(routes[1].json["reasoning_model"] == nil)
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(routes[0].json.serialized()))
        #expect(decoded == routes[0])
        // `config print` shows what each route sends, and reads back alike.
        let printed = EffectiveConfigPrinter().render(config)
        #expect(printed.contains("reasoning_model: true  # no temperature, top_p, penalties or stop sequences sent\n"))
        #expect(printed.contains("reasoning_model: false\n"))
        let reread = try ProxyConfig.parse(yaml: printed, file: "printed.yaml")
        #expect(reread.models.map { $0.reasoningModel == true } == config.models.map { $0.reasoningModel == true })
    }

    /// A chat model on OpenAI's own API or Azure's refuses a reasoning
    /// effort (`gpt-4.1`: 400 "Unsupported parameter"), as does Mistral's
    /// API; reasoning models, other servers and `*` by the client's name
    /// per request take it.
    @Test func whichRoutesRefuseAReasoningEffort() throws {
        let yaml = """
            models:
              - {model_id: gpt41, model_name: gpt-4.1, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: gpt41r, model_name: gpt-4o, api_base: "https://api.openai.com/v1", format: openai-responses}
              - {model_id: azure, model_name: my-deployment, api_base: "https://x.openai.azure.com/openai/v1", format: openai}
              - {model_id: azureo, model_name: my-o3, api_base: "https://x.openai.azure.com/openai/v1", format: openai, reasoning_model: true}
              - {model_id: o3, model_name: o3, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: off, model_name: gpt-5, api_base: "https://api.openai.com/v1", format: openai, reasoning_model: false}
              - {model_id: mistral, model_name: mistral-large-latest, api_base: "https://api.mistral.ai/v1", format: openai}
              - {model_id: groq, model_name: gpt-4.1, api_base: "https://api.groq.com/openai/v1", format: openai}
              - {model_id: any, model_name: "*", api_base: "https://api.openai.com/v1", format: openai}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let refused = config.models.map { $0.routeOptions(requestedModel: "gpt-4.1").reasoningEffortRefused }
        // An Azure deployment's own name says nothing: its effort is sent.
        #expect(refused == [true, true, nil, nil, nil, nil, true, nil, true])
        #expect(config.models[8].routeOptions(requestedModel: "codex-mini-latest").reasoningEffortRefused == nil)
        #expect(config.models[8].routeOptions(requestedModel: "gpt-5.1").reasoningEffortRefused == nil)
    }

    /// `model_name: "*"` on OpenAI's own API names its model only per
    /// request: the client's name decides, as a named entry's would.
    @Test func aPassThroughNameDecidesPerRequest() throws {
        let yaml = """
            models:
              - {model_id: any, model_name: "*", api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: local, model_name: "*", api_base: "http://localhost:8000/v1", format: openai}
              - {model_id: said, model_name: "*", api_base: "https://api.openai.com/v1", format: openai, reasoning_model: false}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let o3 = config.models.map { $0.routeOptions(requestedModel: "o3") }
        #expect(o3.map(\.reasoningModel) == [true, nil, nil])
        #expect(o3.map(\.maxStopSequences) == [0, nil, 4])
        #expect(o3.map { $0.chatOutputCapField?.rawValue } == ["max_completion_tokens", nil, "max_completion_tokens"])
        let chat = config.models[0].routeOptions(requestedModel: "gpt-4.1")
        #expect(chat.reasoningModel == nil && chat.maxStopSequences == 4)
        let printed = EffectiveConfigPrinter().render(config)
        #expect(printed.contains("reasoning_model: null  # by the client's model name"))
        let reread = try ProxyConfig.parse(yaml: printed, file: "printed.yaml")
        #expect(reread.models.map(\.reasoningModelByName) == [true, false, false])
    }

    @Test func theKeyOnAnotherFormatIsAConfigError() throws {
        let yaml = """
            models:
              - model_id: a
                model_name: m
                api_base: https://example.com/v1beta
                format: gemini
                reasoning_model: true

            """
        let error = try #require(throws: ConfigError.self) { try ProxyConfig.parse(yaml: yaml, file: "m.yaml") }
        #expect(error.line == 6)
        #expect(
            error.problem
                == "`reasoning_model` of `a` applies to `format: openai` and `openai-responses` only, not `gemini`")
    }

    /// Through the proxy: the upstream gets no temperature and no `stop`,
    /// and the client's answer still ends at its stop sequence.
    @Test func theProxyAppliesTheStopSequenceTheModelIsNotSent() async throws {
        let yaml: (String) -> String = { base in
            """
            models:
              - model_id: o3
                model_name: o3
                api_base: \(base)/v1
                format: openai
                reasoning_model: true

            """
        }
        try await ProxyHarness.run(configYAML: yaml) { proxy in
            proxy.stub.reply = .json(
                200,
                #"{"id":"c1","object":"chat.completion","created":1,"model":"o3","choices":[{"index":0,"#
                    + #""message":{"role":"assistant","content":"The final result is **570**."},"#
                    + #""finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":8,"total_tokens":17}}"#)
            var request = ProxyHarness.messages(model: "o3")
            request["temperature"] = 0.7
            request["stop_sequences"] = ["is **5"]
            let reply = try await proxy.post("/v1/messages", json: request)
            #expect(reply.status == 200, "\(reply.text)")
            let answer = try #require(reply.json)
            #expect(answer["content"] == [["type": "text", "text": "The final result "]])
            #expect(answer["stop_reason"] == "stop_sequence" && answer["stop_sequence"] == "is **5")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.first).body)
            #expect(sent["stop"] == nil && sent["temperature"] == nil)
            #expect(sent["model"] == "o3")
        }
    }
}
