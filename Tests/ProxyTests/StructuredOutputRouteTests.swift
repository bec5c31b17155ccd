import Testing
import Wire

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
}
