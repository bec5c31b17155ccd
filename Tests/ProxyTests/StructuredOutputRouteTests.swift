import Convert
import Testing
import Wire

@testable import Proxy

/// A route's `structured_output` policy, end to end: the config's word
/// decides what reaches the upstream.
@Suite struct StructuredOutputRouteTests {
    static let schema: JSONValue = [
        "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
        "additionalProperties": false,
    ]

    /// An OpenAI-compatible route that takes only JSON mode (DeepSeek):
    /// an Anthropic client's schema goes as `json_object`, the schema in
    /// the system message.
    @Test func aJSONObjectRouteSendsJSONModeAndTheSchemaAsTheSystemMessage() async throws {
        let yaml = { (base: String) in
            """
            models:
              - model_id: deepseek
                model_name: deepseek-chat
                api_base: \(base)/v1
                format: openai
                api_key: sk-upstream
                structured_output: json_object
            """
        }
        try await ProxyHarness.run(configYAML: yaml) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(
                "/v1/messages",
                json: [
                    "model": "deepseek", "max_tokens": 100, "system": "Be brief.",
                    "messages": [["role": "user", "content": "Weather in Paris?"]],
                    "output_config": ["format": ["type": "json_schema", "schema": Self.schema]],
                ])
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["response_format"] == ["type": "json_object"])
            #expect(
                sent["messages"]?[0]
                    == [
                        "role": "system",
                        "content": .string(
                            "Be brief.\n\nRespond with a JSON object that conforms to this JSON Schema: "
                                + Self.schema.serializedString()),
                    ])
        }
    }

    /// A Chat route that names no policy: OpenAI's own API (and Azure's)
    /// takes a schema; another server of the format gets JSON mode with the
    /// schema in the prompt, where a schema drew 400 (DeepSeek's).
    @Test func aChatRouteOfAnotherServerDefaultsToJSONMode() throws {
        let yaml = """
            models:
              - {model_id: openai, model_name: gpt-4o, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: azure, model_name: d, api_base: "https://x.openai.azure.com/openai/deployments/d", format: openai}
              - {model_id: deepseek, model_name: deepseek-chat, api_base: "https://api.deepseek.com/v1", format: openai}
              - {model_id: local, model_name: m, api_base: "http://127.0.0.1:8000/v1", format: openai}
              - {model_id: named, model_name: m, api_base: "http://127.0.0.1:8000/v1", format: openai, structured_output: send}
              - {model_id: gemini, model_name: g, api_base: "https://generativelanguage.googleapis.com/v1beta", format: gemini}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let policies = config.models.map { $0.routeOptions(requestedModel: "x").structuredOutput }
        #expect(policies == [nil, nil, .jsonObject, .jsonObject, .send, nil])
    }

    /// A Chat client's own `json_object` on a `json_object` route is what
    /// the route sends: passed through as it came (its `seed` kept), where a
    /// `json_schema` is reshaped through the pivot.
    @Test func aClientsOwnJSONModeOnAJSONObjectRouteStaysPassedThrough() throws {
        let route = RouteOptions(
            modelID: "deepseek", upstreamDialect: .openai, upstreamModel: "deepseek-chat", structuredOutput: .jsonObject
        )
        let body: JSONValue = [
            "model": "deepseek", "seed": 7, "messages": [["role": "user", "content": "json please"]],
            "response_format": ["type": "json_object"],
        ]
        let jsonMode = try ClientRequest(endpoint: ClientEndpoint(dialect: .openai), body: body)
        #expect(jsonMode.isPassthrough(route))
        #expect(try jsonMode.upstreamBody(route: route).body["seed"] == 7)
        var schema = body
        schema["response_format"] = [
            "type": "json_schema", "json_schema": ["name": "r", "schema": ["type": "object"]],
        ]
        #expect(!(try ClientRequest(endpoint: ClientEndpoint(dialect: .openai), body: schema)).isPassthrough(route))
        let plain = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: ["model": "deepseek", "messages": [["role": "user", "content": "hi"]]])
        #expect(plain.isPassthrough(route))
    }
}
