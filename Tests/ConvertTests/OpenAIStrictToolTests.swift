import Convert
import Testing
import Wire

/// An Anthropic tool's `strict: true` reaches OpenAI Chat and Responses
/// upstreams with a schema their strict mode takes, or without `strict`
/// (a warning) when fitting it would change what the client accepts.
@Suite struct OpenAIStrictToolTests {
    static func converted(_ schema: JSONValue, to dialect: Dialect) throws -> ConvertedRequest {
        let body: JSONValue = [
            "model": "m", "max_tokens": 100, "messages": [["role": "user", "content": "Weather?"]],
            "tools": [["name": "GetWeather", "input_schema": schema, "strict": true]],
        ]
        return try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body).upstreamBody(
            route: RouteOptions(modelID: "r", upstreamDialect: dialect, upstreamModel: "gpt-5"))
    }

    /// The function as the upstream's dialect holds it: Chat's under
    /// `function`, Responses' at the tool's top level.
    static func function(_ request: ConvertedRequest) -> JSONValue? {
        let tool = request.body["tools"]?[0]
        return tool?["function"] ?? tool
    }

    @Test(arguments: [Dialect.openai, .openaiResponses])
    func objectsAreClosedAndNullableOptionalsRequired(dialect: Dialect) throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "city": ["type": "string"], "unit": ["type": ["string", "null"], "enum": ["C", "F", .null]],
                "near": [
                    "anyOf": [
                        ["type": "object", "properties": ["lat": ["type": "number"]], "required": ["lat"]],
                        ["type": "null"],
                    ]
                ],
            ],
            "required": ["city"],
        ]
        let converted = try Self.converted(schema, to: dialect)
        let function = try #require(Self.function(converted))
        #expect(function["strict"] == true)
        #expect(
            function["parameters"]
                == [
                    "type": "object",
                    "properties": [
                        "city": ["type": "string"], "unit": ["type": ["string", "null"], "enum": ["C", "F", .null]],
                        "near": [
                            "anyOf": [
                                [
                                    "type": "object", "properties": ["lat": ["type": "number"]], "required": ["lat"],
                                    "additionalProperties": false,
                                ],
                                ["type": "null"],
                            ]
                        ],
                    ],
                    "required": ["city", "unit", "near"], "additionalProperties": false,
                ])
        #expect(
            converted.diagnostics.contains { $0.path == "/tools/0/input_schema" && $0.severity == .info },
            "the change is noted")
    }

    /// An optional property that takes no null: made nullable, the model
    /// could send a null the client's tool refuses. Not strict, then.
    @Test(arguments: [Dialect.openai, .openaiResponses])
    func anOptionalPropertyThatTakesNoNullSendsTheToolNonStrict(dialect: Dialect) throws {
        let schema: JSONValue = [
            "type": "object", "properties": ["city": ["type": "string"], "days": ["type": "integer"]],
            "required": ["city"],
        ]
        let converted = try Self.converted(schema, to: dialect)
        let function = try #require(Self.function(converted))
        #expect(function["strict"] == false)
        #expect(function["parameters"] == schema, "sent as the client wrote it")
        let warning = try #require(converted.diagnostics.first { $0.path == "/tools/0/strict" })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains(#"property "days" is optional"#))
    }

    /// Schemas strict mode refuses, each with the reason the warning gives.
    static let refused: [(JSONValue, String)] = [
        (
            [
                "type": "object", "required": ["tags"],
                "properties": ["tags": ["type": "object", "additionalProperties": ["type": "string"]]],
            ], "an object takes additional properties"
        ),
        (
            ["type": "object", "properties": ["meta": ["type": "object"]], "required": ["meta"]],
            "an object names no properties, so any may come"
        ),
        (
            ["type": "object", "properties": ["a": ["allOf": [["type": "string"]]]], "required": ["a"]],
            "it uses allOf"
        ),
        (["anyOf": [["type": "object", "properties": [:]], ["type": "null"]]], "its root is not an object"),
    ]

    @Test(arguments: refused)
    func schemasStrictModeRefusesGoNonStrict(schema: JSONValue, reason: String) throws {
        for dialect in [Dialect.openai, .openaiResponses] {
            let converted = try Self.converted(schema, to: dialect)
            #expect(Self.function(converted)?["strict"] == false)
            #expect(converted.diagnostics.contains { $0.path == "/tools/0/strict" && $0.message.contains(reason) })
        }
    }

    /// A schema strict mode takes as it is goes unchanged, with no note;
    /// a tool that is not strict is not fitted.
    @Test func aStrictReadySchemaAndANonStrictToolAreLeftAlone() throws {
        let ready: JSONValue = [
            "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
            "additionalProperties": false,
        ]
        let converted = try Self.converted(ready, to: .openai)
        #expect(Self.function(converted)?["parameters"] == ready)
        #expect(Self.function(converted)?["strict"] == true)
        #expect(!converted.diagnostics.contains { $0.path.hasPrefix("/tools/0") })
        let open: JSONValue = ["type": "object", "properties": ["days": ["type": "integer"]]]
        let body: JSONValue = [
            "model": "m", "max_tokens": 100, "messages": [["role": "user", "content": "Hi"]],
            "tools": [["name": "F", "input_schema": open]],
        ]
        let plain = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body).upstreamBody(
            route: RouteOptions(modelID: "r", upstreamDialect: .openaiResponses, upstreamModel: "gpt-5"))
        #expect(Self.function(plain)?["parameters"] == open)
        #expect(Self.function(plain)?["strict"] == false)
    }
}
