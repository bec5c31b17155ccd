import Convert
import Testing
import Wire

/// A strict tool (`openai.pydantic_function_tool`'s, a Responses client's
/// `"strict": true`) stays strict on every route that has the word.
@Suite struct StrictToolTests {
    static let parameters: JSONValue = [
        "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
        "additionalProperties": false,
    ]
    static let parametersJSON =
        #"{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"#

    static func route(_ dialect: Dialect, model: String = "claude-sonnet-4-5") -> RouteOptions {
        RouteOptions(modelID: "r", upstreamDialect: dialect, upstreamModel: model)
    }

    /// A Chat client's request with one function tool of `strict`.
    static func chat(strict: JSONValue, parameters: JSONValue = parameters) throws -> ClientRequest {
        let function: JSONValue = ["name": "GetWeather", "parameters": parameters, "strict": strict]
        return try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: [
                "model": "m", "messages": [["role": "user", "content": "Weather?"]],
                "tools": [["type": "function", "function": function]],
            ])
    }

    /// A Responses client's request with one function tool of `strict`.
    static func responses(strict: JSONValue) throws -> ClientRequest {
        try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openaiResponses),
            body: [
                "model": "m", "input": "Weather?",
                "tools": [["type": "function", "name": "GetWeather", "parameters": parameters, "strict": strict]],
            ])
    }

    static func tools(_ request: ClientRequest, to route: RouteOptions) throws -> String? {
        try request.upstreamBody(route: route).body["tools"]?.serializedString()
    }

    @Test func aChatClientsStrictToolStaysStrict() throws {
        #expect(
            try Self.tools(Self.chat(strict: true), to: Self.route(.openaiResponses))
                == #"[{"type":"function","name":"GetWeather","parameters":"# + Self.parametersJSON
                + #","strict":true}]"#)
        #expect(
            try Self.tools(Self.chat(strict: true), to: Self.route(.anthropic))
                == #"[{"name":"GetWeather","input_schema":"# + Self.parametersJSON + #","strict":true}]"#)
        #expect(
            try Self.tools(Self.chat(strict: false), to: Self.route(.anthropic))
                == #"[{"name":"GetWeather","input_schema":"# + Self.parametersJSON + #","strict":false}]"#)
    }

    @Test func aResponsesClientsStrictToolStaysStrict() throws {
        #expect(
            try Self.tools(Self.responses(strict: true), to: Self.route(.anthropic))
                == #"[{"name":"GetWeather","input_schema":"# + Self.parametersJSON + #","strict":true}]"#)
        #expect(
            try Self.tools(Self.responses(strict: true), to: Self.route(.openai))
                == #"[{"type":"function","function":{"name":"GetWeather","parameters":"# + Self.parametersJSON
                + #","strict":true}}]"#)
        #expect(
            try Self.tools(Self.responses(strict: .null), to: Self.route(.openai))
                == #"[{"type":"function","function":{"name":"GetWeather","parameters":"# + Self.parametersJSON
                + #"}}]"#)
    }

    /// Strict tools are structured output, which a Claude model before 4.5
    /// refuses: the tool goes without `strict` there.
    @Test func anOlderClaudeGetsTheToolWithoutStrict() throws {
        let converted = try Self.chat(strict: true).upstreamBody(
            route: Self.route(.anthropic, model: "claude-sonnet-4-20250514"))
        #expect(
            converted.body["tools"]?.serializedString()
                == #"[{"name":"GetWeather","input_schema":"# + Self.parametersJSON + #"}]"#)
        #expect(
            converted.diagnostics.map(\.message) == [
                "claude-sonnet-4-20250514 takes no strict tools (Claude 4.5 and later do); sent without"
            ])
    }

    /// A strict schema's constraints Anthropic does not enforce are moved
    /// into its descriptions, as a structured output's are.
    @Test func aStrictSchemaIsFittedToAnthropicsKeywords() throws {
        let bounded: JSONValue = [
            "type": "object", "properties": ["days": ["type": "integer", "minimum": 1]], "required": ["days"],
            "additionalProperties": false,
        ]
        let converted = try Self.chat(strict: true, parameters: bounded).upstreamBody(route: Self.route(.anthropic))
        #expect(
            converted.body["tools"]?.serializedString()
                == #"[{"name":"GetWeather","input_schema":{"type":"object","properties":{"days":"#
                + #"{"type":"integer","description":"{minimum: 1}"}},"required":["days"],"#
                + #""additionalProperties":false},"strict":true}]"#)
        #expect(converted.diagnostics.map(\.path) == ["/tools/0/input_schema"])
    }
}
