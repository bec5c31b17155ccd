import Convert
import Testing
import Wire

/// Structured output survives conversion: each client dialect's way of
/// asking for JSON held to a schema reaches each other upstream in that
/// upstream's own fields, not dropped for free text.
@Suite struct StructuredOutputTests {
    static let schema: JSONValue = [
        "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
        "additionalProperties": false,
    ]

    static let routes: [String: RouteOptions] = [
        "openai": RouteOptions(modelID: "m", upstreamDialect: .openai, upstreamModel: "up"),
        "responses": RouteOptions(modelID: "m", upstreamDialect: .openaiResponses, upstreamModel: "up"),
        "gemini": RouteOptions(modelID: "m", upstreamDialect: .gemini, upstreamModel: "up"),
        "anthropic": RouteOptions(modelID: "m", upstreamDialect: .anthropic, upstreamModel: "up"),
    ]

    /// A client of `dialect` asking for `schema` in its own words; OpenAI's
    /// dialects name it `weather` and ask for strict.
    static func client(_ dialect: String) throws -> ClientRequest {
        switch dialect {
        case "openai":
            return try ClientRequest(
                endpoint: ClientEndpoint(dialect: .openai),
                body: [
                    "model": "m", "messages": [["role": "user", "content": "Hi"]],
                    "response_format": [
                        "type": "json_schema", "json_schema": ["name": "weather", "schema": schema, "strict": true],
                    ],
                ])
        case "responses":
            return try ClientRequest(
                endpoint: ClientEndpoint(dialect: .openaiResponses),
                body: [
                    "model": "m", "input": "Hi",
                    "text": ["format": ["type": "json_schema", "name": "weather", "schema": schema, "strict": true]],
                ])
        case "gemini":
            return try ClientRequest(
                endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
                body: [
                    "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                    "generationConfig": ["responseMimeType": "application/json", "responseJsonSchema": schema],
                ])
        default:
            return try ClientRequest(
                endpoint: ClientEndpoint(dialect: .anthropic),
                body: [
                    "model": "m", "max_tokens": 100, "messages": [["role": "user", "content": "Hi"]],
                    "output_config": ["format": ["type": "json_schema", "schema": schema]],
                ])
        }
    }

    /// The upstream body's structured-output members for a client of
    /// `dialect`: what each upstream is expected to get.
    static func expected(client: String, upstream: String) -> [String: JSONValue] {
        let named = client == "openai" || client == "responses"
        var openAI: JSONObject = ["name": named ? "weather" : "response", "schema": schema]
        if named { openAI["strict"] = true }
        switch upstream {
        case "openai":
            return ["response_format": ["type": "json_schema", "json_schema": .object(openAI)]]
        case "responses":
            var format: JSONObject = ["type": "json_schema"]
            for member in openAI { format[member.key] = member.value }
            return ["text": ["format": .object(format)]]
        case "gemini":
            return ["responseMimeType": "application/json", "responseJsonSchema": schema, "responseSchema": nil]
        default:
            return ["output_config": ["format": ["type": "json_schema", "schema": schema]]]
        }
    }

    static let pairs: [(String, String)] = ["openai", "responses", "gemini", "anthropic"].flatMap { client in
        ["openai", "responses", "gemini", "anthropic"].filter { $0 != client }.map { (client, $0) }
    }

    @Test(arguments: pairs)
    func theSchemaReachesTheUpstream(client: String, upstream: String) throws {
        let converted = try Self.client(client).upstreamBody(route: Self.routes[upstream]!)
        let holder = upstream == "gemini" ? converted.body["generationConfig"] : converted.body
        for (key, value) in Self.expected(client: client, upstream: upstream) {
            #expect(holder?[key] == (value.isNull ? JSONValue?.none : value), "\(client) -> \(upstream): \(key)")
        }
        #expect(!converted.diagnostics.contains { $0.severity == .warning }, "\(converted.diagnostics)")
    }

    /// JSON mode with no schema: Chat's `json_object` is Gemini's MIME type
    /// alone, and back.
    @Test func jsonModeWithNoSchemaIsKept() throws {
        let chat = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: [
                "model": "m", "messages": [["role": "user", "content": "Hi"]],
                "response_format": ["type": "json_object"],
            ])
        let toGemini = try chat.upstreamBody(route: Self.routes["gemini"]!).body["generationConfig"]
        #expect(toGemini?["responseMimeType"] == "application/json")
        #expect(toGemini?["responseJsonSchema"] == nil)
        let gemini = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["responseMimeType": "application/json"],
            ])
        #expect(
            try gemini.upstreamBody(route: Self.routes["openai"]!).body["response_format"] == ["type": "json_object"])
        #expect(
            try gemini.upstreamBody(route: Self.routes["responses"]!).body["text"]
                == [
                    "format": [
                        "type": "json_schema", "name": "response", "schema": ["type": "object"], "strict": false,
                    ]
                ])
    }

    /// A Gemini client's `responseSchema` is an OpenAPI subset (`STRING`,
    /// `nullable`); OpenAI takes JSON Schema.
    @Test func geminiOpenAPISchemaBecomesJSONSchema() throws {
        let gemini = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": [
                    "response_mime_type": "application/json",
                    "response_schema": [
                        "type": "OBJECT",
                        "properties": [
                            "city": ["type": "STRING", "nullable": true],
                            "days": ["type": "ARRAY", "items": ["type": "INTEGER"]],
                        ],
                    ],
                ],
            ])
        let format = try gemini.upstreamBody(route: Self.routes["openai"]!).body["response_format"]
        let expected: JSONValue = [
            "type": "object",
            "properties": [
                "city": ["type": ["string", "null"]], "days": ["type": "array", "items": ["type": "integer"]],
            ],
        ]
        #expect(format?["json_schema"]?["schema"] == expected)
    }
}
