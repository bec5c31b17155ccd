import Convert
import Testing
import Wire

/// google-genai sends a Pydantic `response_schema` with snake_case
/// keywords; it reaches the other upstreams as JSON Schema all the same,
/// as a function's `parameters` does.
@Suite struct GeminiSnakeCaseSchemaTests {
    /// What google-genai 3.6.1 sends for
    /// `class Thing(BaseModel): id: Union[int, str]; note: Optional[str] = None;
    /// tags: list[str] = Field(min_length=1, max_length=3); score: float = Field(ge=0, le=1)`.
    static let thing: JSONValue = try! JSONValue(
        parsing: #"""
            {"properties": {"id": {"any_of": [{"type": "INTEGER"}, {"type": "STRING"}], "title": "Id"},
            "note": {"nullable": true, "title": "Note", "type": "STRING"},
            "tags": {"items": {"type": "STRING"}, "max_items": 3, "min_items": 1, "title": "Tags", "type": "ARRAY"},
            "score": {"maximum": 1.0, "minimum": 0.0, "title": "Score", "type": "NUMBER"}},
            "property_ordering": ["id", "note", "tags", "score"], "required": ["id", "tags", "score"],
            "title": "Thing", "type": "OBJECT"}
            """#)

    /// `response_schema=list[Recipe]`.
    static let recipes: JSONValue = try! JSONValue(
        parsing: #"""
            {"items": {"properties": {"recipe_name": {"title": "Recipe Name", "type": "STRING"},
            "ingredients": {"items": {"type": "STRING"}, "title": "Ingredients", "type": "ARRAY"}},
            "property_ordering": ["recipe_name", "ingredients"], "required": ["recipe_name", "ingredients"],
            "title": "Recipe", "type": "OBJECT"}, "title": "Placeholder", "type": "ARRAY"}
            """#)

    static func request(schema: JSONValue) throws -> ClientRequest {
        try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: [
                "contents": [["role": "user", "parts": [["text": "t"]]]],
                "generationConfig": ["responseMimeType": "application/json", "responseSchema": schema],
            ])
    }

    static func route(_ dialect: Dialect) -> RouteOptions {
        RouteOptions(modelID: "r", upstreamDialect: dialect, upstreamModel: "claude-sonnet-4-5")
    }

    static let thingJSONSchema =
        #"{"properties":{"id":{"anyOf":[{"type":"integer"},{"type":"string"}],"title":"Id"},"#
        + #""note":{"title":"Note","type":["string","null"]},"#
        + #""tags":{"items":{"type":"string"},"maxItems":3,"minItems":1,"title":"Tags","type":"array"},"#
        + #""score":{"maximum":1.0,"minimum":0.0,"title":"Score","type":"number"}},"#
        + #""required":["id","tags","score"],"title":"Thing","type":"object"}"#

    @Test func aSnakeCaseSchemaReachesResponsesAsJSONSchema() throws {
        let body = try Self.request(schema: Self.thing).upstreamBody(route: Self.route(.openaiResponses)).body
        #expect(
            body["text"]?.serializedString()
                == #"{"format":{"type":"json_schema","name":"response","schema":"# + Self.thingJSONSchema + "}}")
    }

    @Test func aSnakeCaseSchemaReachesAnthropicAsItsJSONSchema() throws {
        let body = try Self.request(schema: Self.thing).upstreamBody(route: Self.route(.anthropic)).body
        #expect(
            body["output_config"]?.serializedString()
                == #"{"format":{"type":"json_schema","schema":{"properties":{"#
                + #""id":{"anyOf":[{"type":"integer"},{"type":"string"}],"title":"Id"},"#
                + #""note":{"title":"Note","type":["string","null"]},"#
                + #""tags":{"items":{"type":"string"},"minItems":1,"title":"Tags","type":"array","#
                + #""description":"{maxItems: 3}"},"#
                + #""score":{"title":"Score","type":"number","description":"{maximum: 1.0, minimum: 0.0}"}},"#
                + #""required":["id","tags","score"],"title":"Thing","type":"object","additionalProperties":false}}}"#)
    }

    /// In the pivot, where a Gemini upstream reads it, the schema keeps
    /// its ordering, in camelCase.
    @Test func aSnakeCaseSchemaKeepsItsOrderingInThePivot() throws {
        let pivot = try GeminiClientCodec.decodeRequest(
            [
                "contents": [["role": "user", "parts": [["text": "t"]]]],
                "generationConfig": ["responseMimeType": "application/json", "responseSchema": Self.recipes],
            ], model: "m", stream: false)
        #expect(
            pivot.body["output_config"]?["format"]?["schema"]?.serializedString()
                == #"{"items":{"properties":{"recipe_name":{"title":"Recipe Name","type":"string"},"#
                + #""ingredients":{"items":{"type":"string"},"title":"Ingredients","type":"array"}},"#
                + #""propertyOrdering":["recipe_name","ingredients"],"required":["recipe_name","ingredients"],"#
                + #""title":"Recipe","type":"object"},"title":"Placeholder","type":"array"}"#)
    }

    /// OpenAI takes only an object at a schema's root: an array is refused
    /// by the proxy, in the client's shape, naming the way out.
    @Test(arguments: [(Dialect.openai, "OpenAI Chat Completions"), (.openaiResponses, "OpenAI Responses")])
    func anArrayRootIsRefusedForOpenAI(dialect: Dialect, upstream: String) throws {
        let request = try Self.request(schema: Self.recipes)
        do throws(APIError) {
            _ = try request.upstreamBody(route: Self.route(dialect))
            Issue.record("no refusal")
        } catch {
            #expect(
                error.rendered(in: .gemini)
                    == [
                        "error": [
                            "code": 400,
                            "message": .string(
                                #"the response schema's root is of type "array", and the route's \#(upstream) "#
                                    + #"upstream takes only an object there ("type": "object"); put the array in a "#
                                    + "property of an object schema, or use a route of another format"),
                            "status": "INVALID_ARGUMENT",
                        ]
                    ])
        }
    }

    /// A route that says `send` (a vLLM or Ollama server, which take an
    /// array root) gets the schema as it is.
    @Test func anArrayRootGoesToARouteThatSaysSend() throws {
        let request = try Self.request(schema: Self.recipes)
        var route = Self.route(.openai)
        route.structuredOutput = .send
        let body = try request.upstreamBody(route: route).body
        #expect(body["response_format"]?["json_schema"]?["schema"]?["type"] == "array")
    }

    /// A function's snake_case `parameters` go the same way, without
    /// Gemini's ordering, a nullable enum allowing null.
    @Test func aFunctionsSnakeCaseParametersAreJSONSchema() throws {
        let pivot = try GeminiClientCodec.decodeRequest(
            [
                "contents": [["role": "user", "parts": [["text": "t"]]]],
                "tools": [
                    [
                        "function_declarations": [
                            [
                                "name": "f",
                                "parameters": [
                                    "type": "OBJECT",
                                    "properties": [
                                        "unit": ["type": "STRING", "enum": ["C", "F"], "nullable": true],
                                        "any_of": ["any_of": [["type": "STRING"], ["type": "INTEGER"]]],
                                    ],
                                    "property_ordering": ["unit", "any_of"],
                                ],
                            ]
                        ]
                    ]
                ],
            ], model: "m", stream: false)
        #expect(
            pivot.body["tools"]?[0]?["input_schema"]?.serializedString()
                == #"{"type":"object","properties":{"unit":{"type":["string","null"],"enum":["C","F",null]},"#
                + #""any_of":{"anyOf":[{"type":"string"},{"type":"integer"}]}}}"#)
    }
}
