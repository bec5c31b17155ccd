import Testing
import Wire

@testable import Convert

/// Structured output is sent where the upstream takes it, and only so: a
/// request that was a 200 without it does not become a 400 with it. Each
/// rule of ``StructuredOutputFit`` and each route policy.
@Suite struct StructuredOutputFitTests {
    static let schema: JSONValue = [
        "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
        "additionalProperties": false,
    ]
    static let gemini = ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false)
    static let tools: JSONValue = [
        ["type": "function", "function": ["name": "weather", "parameters": ["type": "object"]]]
    ]

    static func route(
        _ dialect: Dialect, model: String = "up", policy: StructuredOutputPolicy? = nil
    ) -> RouteOptions {
        RouteOptions(modelID: "r", upstreamDialect: dialect, upstreamModel: model, structuredOutput: policy)
    }

    /// A Chat client asking for `format`, with `tools` when given, its last
    /// message `messages` (a user's "Weather?" by default).
    static func chat(
        _ format: JSONValue, tools: JSONValue? = nil,
        messages: JSONValue = [["role": "user", "content": "Weather?"]]
    ) throws -> ClientRequest {
        var body: JSONObject = ["model": "m", "messages": messages, "response_format": format]
        if let tools { body["tools"] = tools }
        return try ClientRequest(endpoint: ClientEndpoint(dialect: .openai), body: .object(body))
    }

    /// A Gemini client asking `text` in JSON mode, held to `schema` when given.
    static func geminiJSONMode(asking text: String, schema: JSONValue? = nil) throws -> ClientRequest {
        var config: JSONObject = ["responseMimeType": "application/json"]
        if let schema { config["responseJsonSchema"] = schema }
        return try ClientRequest(
            endpoint: gemini,
            body: [
                "contents": [["role": "user", "parts": [["text": .string(text)]]]], "generationConfig": .object(config),
            ])
    }

    static let chatSchema: JSONValue = ["type": "json_schema", "json_schema": ["name": "weather", "schema": schema]]
    static let schemaInstruction =
        "Respond with a JSON object that conforms to this JSON Schema: " + schema.serializedString()

    static func warnings(_ converted: ConvertedRequest) -> [String] {
        converted.diagnostics.filter { $0.severity == .warning }.map(\.message)
    }

    // MARK: OpenAI's JSON mode needs the word

    /// A Gemini client's JSON mode with no schema, to OpenAI Chat: OpenAI
    /// refuses `json_object` unless a message says "json".
    @Test func jsonModeWithoutTheWordGetsASystemInstruction() throws {
        let client = try Self.geminiJSONMode(asking: "Weather in Paris?")
        let converted = try client.upstreamBody(route: Self.route(.openai))
        #expect(converted.body["response_format"] == ["type": "json_object"])
        #expect(converted.body["messages"]?[0] == ["role": "system", "content": "Respond with a JSON object."])
        #expect(converted.diagnostics.contains { $0.path == "/system" && $0.message.contains("OpenAI refuses") })
        // Responses' json_object wants the word in its input messages, which
        // `instructions` may not count as: a schema any object meets has no such rule.
        let responses = try client.upstreamBody(route: Self.route(.openaiResponses))
        #expect(
            responses.body["text"]
                == [
                    "format": [
                        "type": "json_schema", "name": "response", "schema": ["type": "object"], "strict": false,
                    ]
                ])
        #expect(responses.body["instructions"] == nil)
    }

    /// A message that says JSON already (in any case) is enough.
    @Test func jsonModeWithTheWordIsLeftAlone() throws {
        let client = try Self.geminiJSONMode(asking: "Answer in Json: weather in Paris?")
        let converted = try client.upstreamBody(route: Self.route(.openai))
        #expect(converted.body["response_format"] == ["type": "json_object"])
        #expect(converted.body["messages"]?[0]?["role"] == "user")
    }

    /// "json" in any case, beside any other text, in the system prompt or
    /// a message's text; not a lookalike.
    @Test func theWordJSONIsFoundInAnyCase() {
        let saying = { (text: String) -> Bool in
            StructuredOutputFit.mentionsJSON(["messages": [["role": "user", "content": .string(text)]]])
        }
        #expect(saying("Answer as JsOn, please"))
        #expect(saying("Réponds en JSON, s'il te plaît"))
        #expect(saying("日本語でJSONを返して"))
        #expect(saying("ÉjsonÉ"))
        #expect(!saying("Réponds en ＪＳＯＮ"))
        #expect(!saying("jsón"))
        #expect(!saying("Weather in Zürich?"))
        #expect(StructuredOutputFit.mentionsJSON(["system": "Use JSON.", "messages": []]))
        #expect(
            StructuredOutputFit.mentionsJSON([
                "messages": [["role": "user", "content": [["type": "text", "text": "über jSON"]]]]
            ]))
        #expect(
            !StructuredOutputFit.mentionsJSON([
                "system": [["type": "text", "text": "Über"]],
                "messages": [["role": "user", "content": [["type": "image"]]]],
            ]))
    }

    // MARK: Gemini with tools

    /// Gemini 2.x refuses a JSON MIME type beside function declarations:
    /// the schema goes in the system prompt, with a warning.
    @Test func geminiWithToolsGetsTheSchemaInTheSystemPrompt() throws {
        let converted = try Self.chat(Self.chatSchema, tools: Self.tools).upstreamBody(route: Self.route(.gemini))
        let config = converted.body["generationConfig"]
        #expect(config?["responseMimeType"] == nil)
        #expect(config?["responseJsonSchema"] == nil)
        #expect(converted.body["systemInstruction"]?["parts"]?[0]?["text"] == .string(Self.schemaInstruction))
        #expect(
            Self.warnings(converted) == [
                "Gemini refuses a JSON response MIME type beside function declarations; asked for in the system prompt"
            ])
    }

    /// A route that says `send` knows its model takes both (Gemini 3).
    @Test func geminiWithToolsOnARouteThatSaysSendGetsTheFormat() throws {
        let converted = try Self.chat(Self.chatSchema, tools: Self.tools).upstreamBody(
            route: Self.route(.gemini, policy: .send))
        #expect(converted.body["generationConfig"]?["responseJsonSchema"] == Self.schema)
        #expect(converted.body["systemInstruction"] == nil)
        #expect(Self.warnings(converted).isEmpty)
    }

    // MARK: Anthropic

    /// Constraints Anthropic does not enforce move into the description;
    /// every object is closed.
    @Test func anthropicGetsASchemaOfItsKeywords() throws {
        let given: JSONValue = [
            "type": "object",
            "properties": [
                "age": ["type": "integer", "minimum": 0, "maximum": 150],
                "name": ["type": "string", "description": "Full name", "maxLength": 40],
                "tags": ["type": "array", "items": ["type": "string"], "minItems": 1],
                "address": ["type": "object", "properties": ["street": ["type": "string", "format": "date-time"]]],
            ],
        ]
        let converted = try Self.chat(["type": "json_schema", "json_schema": ["name": "p", "schema": given]])
            .upstreamBody(route: Self.route(.anthropic, model: "claude-sonnet-4-5-20250929"))
        let expected: JSONValue = [
            "type": "object",
            "properties": [
                "age": ["type": "integer", "description": "{minimum: 0, maximum: 150}"],
                "name": ["type": "string", "description": "Full name\n\n{maxLength: 40}"],
                "tags": ["type": "array", "items": ["type": "string"], "minItems": 1],
                "address": [
                    "type": "object", "properties": ["street": ["type": "string", "format": "date-time"]],
                    "additionalProperties": false,
                ],
            ],
            "additionalProperties": false,
        ]
        #expect(converted.body["output_config"] == ["format": ["type": "json_schema", "schema": expected]])
        #expect(Self.warnings(converted).isEmpty)
    }

    /// Anthropic refuses a format with an assistant prefill: the schema is
    /// asked for in the system prompt instead.
    @Test func anthropicWithAPrefillGetsTheSchemaInTheSystemPrompt() throws {
        let messages: JSONValue = [["role": "user", "content": "Weather?"], ["role": "assistant", "content": "{"]]
        let converted = try Self.chat(Self.chatSchema, messages: messages).upstreamBody(
            route: Self.route(.anthropic, model: "claude-opus-4-5"))
        #expect(converted.body["output_config"] == nil)
        #expect(converted.body["system"] == .string(Self.schemaInstruction))
        #expect(
            Self.warnings(converted) == [
                "Anthropic refuses structured output after an assistant prefill; asked for in the system prompt"
            ])
    }

    /// A Claude older than 4.5 takes no format, unless the route says send.
    @Test func anOlderClaudeGetsTheSchemaInTheSystemPrompt() throws {
        let older = try Self.chat(Self.chatSchema).upstreamBody(
            route: Self.route(.anthropic, model: "claude-sonnet-4-20250514"))
        #expect(older.body["output_config"] == nil)
        #expect(older.body["system"] == .string(Self.schemaInstruction))
        let named = try Self.chat(Self.chatSchema).upstreamBody(
            route: Self.route(.anthropic, model: "claude-sonnet-4-20250514", policy: .send))
        #expect(named.body["output_config"]?["format"]?["schema"] == Self.schema)
    }

    @Test(arguments: [
        ("claude-sonnet-4-5", true), ("claude-sonnet-4-5-20250929", true), ("claude-opus-4-6", true),
        ("claude-haiku-4-5@20251001", true), ("anthropic.claude-opus-4-5-20251101-v1:0", true),
        ("claude-sonnet-5", true), ("claude-sonnet-4-20250514", false), ("claude-opus-4-1", false),
        ("claude-3-5-sonnet-20241022", false), ("claude-3-opus-latest", false),
    ])
    func claudeVersionsThatTakeTheFormat(model: String, takes: Bool) {
        #expect(AnthropicStructuredOutput.takesFormat(model: model) == takes, "\(model)")
    }

    /// Another provider's model behind an Anthropic-shaped API: the policy
    /// decides, and its default sends.
    @Test func aModelThatIsNotClaudeIsLeftToThePolicy() throws {
        #expect(AnthropicStructuredOutput.takesFormat(model: "glm-4.6") == nil)
        let converted = try Self.chat(Self.chatSchema).upstreamBody(route: Self.route(.anthropic, model: "glm-4.6"))
        #expect(converted.body["output_config"]?["format"]?["schema"] == Self.schema)
    }

    /// Anthropic has no JSON mode: JSON is asked for in the system prompt.
    @Test func jsonModeToAnthropicIsAskedForInTheSystemPrompt() throws {
        let converted = try Self.chat(["type": "json_object"]).upstreamBody(route: Self.route(.anthropic))
        #expect(converted.body["output_config"] == nil)
        #expect(converted.body["system"] == "Respond with a JSON object.")
        #expect(
            Self.warnings(converted) == [
                "Anthropic has no JSON mode without a schema; asked for in the system prompt"
            ])
    }

    // MARK: Policies

    /// `json_object` (DeepSeek): JSON mode, the schema in the system prompt.
    @Test func jsonObjectPolicySendsJSONModeAndTheSchemaAsAnInstruction() throws {
        let client = try Self.geminiJSONMode(asking: "Weather?", schema: Self.schema)
        let converted = try client.upstreamBody(route: Self.route(.openai, policy: .jsonObject))
        #expect(converted.body["response_format"] == ["type": "json_object"])
        #expect(converted.body["messages"]?[0] == ["role": "system", "content": .string(Self.schemaInstruction)])
        #expect(Self.warnings(converted).isEmpty)
        let toGemini = try Self.chat(Self.chatSchema).upstreamBody(route: Self.route(.gemini, policy: .jsonObject))
        #expect(toGemini.body["generationConfig"]?["responseMimeType"] == "application/json")
        #expect(toGemini.body["generationConfig"]?["responseJsonSchema"] == nil)
    }

    /// `drop`: the format goes, with a warning, as before formats were sent.
    @Test func dropPolicyDropsTheFormatWithAWarning() throws {
        for dialect in [Dialect.gemini, .anthropic, .openaiResponses] {
            let converted = try Self.chat(Self.chatSchema).upstreamBody(route: Self.route(dialect, policy: .drop))
            let holder = dialect == .gemini ? converted.body["generationConfig"] : converted.body
            #expect(holder?["responseJsonSchema"] == nil && holder?["output_config"] == nil)
            #expect(holder?["text"] == nil)
            #expect(Self.warnings(converted) == ["the route's structured_output is drop; dropped"], "\(dialect)")
        }
    }

    /// An Anthropic client's format to its own dialect is its own, unless
    /// the route names a policy that changes it.
    @Test func anAnthropicClientsFormatToAnthropicGoesAsSent() throws {
        let format: JSONValue = ["type": "json_schema", "schema": ["type": "object", "maxProperties": 3]]
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: [
                "model": "m", "max_tokens": 10, "messages": [["role": "user", "content": "Hi"]],
                "output_config": ["format": format],
            ])
        let asSent = try client.upstreamBody(route: Self.route(.anthropic, model: "claude-3-5-haiku"))
        #expect(asSent.body["output_config"] == ["format": format])
        let dropped = try client.upstreamBody(route: Self.route(.anthropic, model: "claude-3-5-haiku", policy: .drop))
        #expect(dropped.body["output_config"] == nil)
        #expect(Self.warnings(dropped) == ["the route's structured_output is drop; dropped"])
    }

    /// A Chat client of a DeepSeek route (OpenAI's own dialect) asks for
    /// the `json_schema` DeepSeek refuses: a `json_object` route sends JSON
    /// mode, and a request with no format still goes as sent.
    @Test func aChatClientsSchemaOnAJSONObjectRouteOfItsOwnDialectIsJSONMode() throws {
        let route = Self.route(.openai, policy: .jsonObject)
        let converted = try Self.chat(Self.chatSchema).upstreamBody(route: route)
        #expect(converted.body["response_format"] == ["type": "json_object"])
        #expect(converted.body["messages"]?[0] == ["role": "system", "content": .string(Self.schemaInstruction)])
        let plain = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: ["model": "m", "messages": [["role": "user", "content": "Hi"]], "logprobs": true])
        #expect(plain.isPassthrough(route))
        #expect(try plain.upstreamBody(route: route).body["logprobs"] == true)
    }

    // MARK: Gemini's OpenAPI schema

    @Test func geminiNullableEnumAndAnyOfStayNullable() throws {
        let openAPI: JSONValue = [
            "type": "OBJECT",
            "properties": [
                "unit": ["type": "STRING", "enum": ["C", "F"], "nullable": true],
                "when": ["anyOf": [["type": "STRING"], ["type": "INTEGER"]], "nullable": true],
                "count": ["type": "INTEGER", "format": "int64"],
                "id": ["type": "STRING", "format": "int64"],
            ],
            "propertyOrdering": ["unit", "when", "count", "id"],
        ]
        let expected: JSONValue = [
            "type": "object",
            "properties": [
                "unit": ["type": ["string", "null"], "enum": ["C", "F", nil]],
                "when": ["anyOf": [["type": "string"], ["type": "integer"], ["type": "null"]]],
                "count": ["type": "integer"],
                "id": ["type": "string"],
            ],
            "propertyOrdering": ["unit", "when", "count", "id"],
        ]
        #expect(StructuredOutput.jsonSchema(fromOpenAPI: openAPI) == expected)
    }

    /// `propertyOrdering` is Gemini's: it reaches Gemini, and no other.
    @Test func propertyOrderingReachesGeminiOnly() throws {
        let ordered: JSONValue = [
            "type": "object", "properties": ["propertyOrdering": ["type": "string"]],
            "propertyOrdering": ["propertyOrdering"],
        ]
        let chat = try Self.chat(["type": "json_schema", "json_schema": ["name": "o", "schema": ordered]])
        let toOpenAI = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: [
                "model": "m", "max_tokens": 10, "messages": [["role": "user", "content": "Hi"]],
                "output_config": ["format": ["type": "json_schema", "schema": ordered]],
            ]
        ).upstreamBody(route: Self.route(.openai))
        #expect(
            toOpenAI.body["response_format"]?["json_schema"]?["schema"]
                == ["type": "object", "properties": ["propertyOrdering": ["type": "string"]]])
        let toGemini = try chat.upstreamBody(route: Self.route(.gemini))
        #expect(toGemini.body["generationConfig"]?["responseJsonSchema"] == ordered)
    }
}
