import Convert
import Testing
import Wire

/// `seed`, `presence_penalty` and `frequency_penalty` survive conversion
/// between OpenAI Chat and Gemini, both ways, in the upstream's own names;
/// an upstream that has none of them (Anthropic, OpenAI Responses) gets
/// none, with a note naming each.
@Suite struct SeedAndPenaltiesTests {
    static func route(_ upstream: Dialect, structuredOutput: StructuredOutputPolicy? = nil) -> RouteOptions {
        RouteOptions(modelID: "m", upstreamDialect: upstream, upstreamModel: "up", structuredOutput: structuredOutput)
    }

    static func chat(_ settings: JSONObject) throws -> ClientRequest {
        var body: JSONObject = ["model": "m", "messages": [["role": "user", "content": "Hi"]]]
        for member in settings { body[member.key] = member.value }
        return try ClientRequest(endpoint: ClientEndpoint(dialect: .openai), body: .object(body))
    }

    static func gemini(_ config: JSONObject, configKey: String = "generationConfig") throws -> ClientRequest {
        var body: JSONObject = ["contents": [["role": "user", "parts": [["text": "Hi"]]]]]
        body[configKey] = .object(config)
        return try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false), body: .object(body))
    }

    static let chatSettings: JSONObject = ["seed": 42, "presence_penalty": 0.5, "frequency_penalty": -0.25]
    static let geminiSettings: JSONObject = ["seed": 42, "presencePenalty": 0.5, "frequencyPenalty": -0.25]

    /// The seed reaches Gemini; the penalties do not: Gemini 2.5 and later
    /// answer a non-zero one with 400 ("Penalty is not enabled").
    @Test func aChatClientsSeedReachesGeminisGenerationConfigAndItsPenaltiesDoNot() throws {
        let converted = try Self.chat(Self.chatSettings).upstreamBody(route: Self.route(.gemini))
        let config = try #require(converted.body["generationConfig"]?.objectValue)
        #expect(config["seed"] == 42)
        #expect(config["presencePenalty"] == nil && config["frequencyPenalty"] == nil)
        for name in ["seed", "presence_penalty", "frequency_penalty"] {
            #expect(converted.body[name] == nil, "\(name) in Gemini's body, outside generationConfig")
        }
        let notes = converted.diagnostics.filter { $0.path.contains("enalty") || $0.path.contains("seed") }
        #expect(
            notes.map { "\($0.severity) \($0.path) \($0.message)" } == [
                "info /presence_penalty presence_penalty not sent: Gemini 2.5 and later refuse penalties with 400; "
                    + "dropped",
                "info /frequency_penalty frequency_penalty not sent: Gemini 2.5 and later refuse penalties with 400; "
                    + "dropped",
            ])
        // Gemini's seed is 32-bit: a larger one (clients draw from 0..<2^32) is dropped, not sent to draw a 400.
        let large = try Self.chat(["seed": 3_000_000_000]).upstreamBody(route: Self.route(.gemini))
        #expect(large.body["generationConfig"]?["seed"] == nil)
        #expect(
            large.diagnostics.contains {
                $0.severity == .warning && $0.message == "seed 3000000000 is outside Gemini's 32-bit range; dropped"
            })
    }

    @Test func aGeminiClientsSettingsReachChatInItsNames() throws {
        let converted = try Self.gemini(Self.geminiSettings).upstreamBody(route: Self.route(.openai))
        #expect(converted.body["seed"] == 42)
        #expect(converted.body["presence_penalty"] == 0.5)
        #expect(converted.body["frequency_penalty"] == -0.25)
        #expect(converted.body["presencePenalty"] == nil)
        #expect(!converted.diagnostics.contains { $0.path.contains("enalty") || $0.path.contains("seed") })
    }

    /// google-genai's snake_case spelling, and a seed typed as a float,
    /// which both APIs take only as an integer.
    @Test func aGeminiClientsSnakeCaseSettingsAndFloatSeedAreRead() throws {
        let converted = try Self.gemini(
            ["seed": 7.0, "presence_penalty": 1, "frequency_penalty": 0.1], configKey: "generation_config"
        ).upstreamBody(route: Self.route(.openai))
        #expect(converted.body["seed"] == .int(7))
        #expect(converted.body["presence_penalty"] == 1)
        #expect(converted.body["frequency_penalty"] == 0.1)
    }

    static let droppingUpstreams: [(Dialect, String)] = [
        (.anthropic, "Anthropic Messages"), (.openaiResponses, "OpenAI Responses"),
    ]

    /// Anthropic refuses a member it does not know; Responses takes none of
    /// the three. Each is a note, at its pivot name.
    @Test(arguments: droppingUpstreams)
    func anUpstreamWithoutThemGetsNoneAndANoteNamingEach(upstream: Dialect, label: String) throws {
        for client in [try Self.chat(Self.chatSettings), try Self.gemini(Self.geminiSettings)] {
            let converted = try client.upstreamBody(route: Self.route(upstream))
            let sent = converted.body.serializedString()
            for name in ["seed", "presence_penalty", "frequency_penalty"] {
                #expect(!sent.contains(name), "\(client.dialect) -> \(upstream): \(sent)")
                let note = ConversionDiagnostic(
                    severity: .info, path: "/\(name)", message: "\(name) has no \(label) equivalent; dropped")
                #expect(converted.diagnostics.contains(note), "\(client.dialect): \(converted.diagnostics)")
            }
            #expect(!sent.contains("enalty"))
        }
    }

    /// A Chat client reshaped through the pivot to a Chat upstream (a
    /// `json_object` route given a schema) keeps them.
    @Test func aChatClientReshapedForStructuredOutputKeepsThem() throws {
        var settings = Self.chatSettings
        settings["response_format"] = [
            "type": "json_schema", "json_schema": ["name": "r", "schema": ["type": "object"]],
        ]
        let client = try Self.chat(settings)
        let route = Self.route(.openai, structuredOutput: .jsonObject)
        #expect(!client.isPassthrough(route))
        let body = try client.upstreamBody(route: route).body
        #expect(body["response_format"] == ["type": "json_object"])
        #expect(body["seed"] == 42)
        #expect(body["presence_penalty"] == 0.5)
        #expect(body["frequency_penalty"] == -0.25)
    }

    static let wrongTypes: [(JSONObject, String)] = [
        (["seed": "7"], "seed must be an integer, got string"),
        (["seed": 1.5], "seed must be an integer, got number"),
        (["presence_penalty": "high"], "presence_penalty must be a number, got string"),
        (["frequency_penalty": [1]], "frequency_penalty must be a number, got array"),
    ]

    @Test(arguments: wrongTypes)
    func aChatClientsWrongTypeIsA400NamingTheField(settings: JSONObject, message: String) throws {
        #expect {
            try Self.chat(settings).upstreamBody(route: Self.route(.gemini))
        } throws: { error in
            let error = error as? APIError
            return error?.status == 400 && error?.type == "invalid_request_error" && error?.message == message
        }
    }

    static let geminiWrongTypes: [(JSONObject, String)] = [
        (["seed": "7"], "generationConfig.seed must be an integer, got string"),
        (["presencePenalty": true], "generationConfig.presencePenalty must be a number, got boolean"),
        (["frequencyPenalty": "x"], "generationConfig.frequencyPenalty must be a number, got string"),
    ]

    @Test(arguments: geminiWrongTypes)
    func aGeminiClientsWrongTypeIsA400NamingTheField(config: JSONObject, message: String) throws {
        #expect {
            try Self.gemini(config).upstreamBody(route: Self.route(.openai))
        } throws: { error in
            let error = error as? APIError
            return error?.status == 400 && error?.message == message
        }
    }

    /// `top_k` (Anthropic's, a Gemini client's `topK`) has no Chat
    /// equivalent: dropped, with a note naming it.
    @Test func topKToAChatUpstreamIsDroppedWithANoteNamingIt() throws {
        let anthropic = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: ["model": "m", "max_tokens": 100, "top_k": 40, "messages": [["role": "user", "content": "Hi"]]])
        for client in [anthropic, try Self.gemini(["topK": 40.0])] {
            let converted = try client.upstreamBody(route: Self.route(.openai))
            #expect(converted.body["top_k"] == nil && converted.body["topK"] == nil)
            let note = ConversionDiagnostic(
                severity: .info, path: "/top_k", message: "top_k has no OpenAI Chat Completions equivalent; dropped")
            #expect(converted.diagnostics.filter { $0.path == "/top_k" } == [note], "\(converted.diagnostics)")
        }
    }

    /// An Anthropic client's own members go to an Anthropic upstream as
    /// sent; one of the wrong type is not sent to another upstream.
    @Test func anAnthropicClientsOwnSeedIsItsOwn() throws {
        let body: JSONValue = [
            "model": "m", "max_tokens": 100, "seed": 3, "messages": [["role": "user", "content": "Hi"]],
        ]
        let anthropic = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body)
        var expected = body
        expected["model"] = "up"
        #expect(try anthropic.upstreamBody(route: Self.route(.anthropic)).body == expected)
        var wrong = body
        wrong["seed"] = "3"
        let converted = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: wrong)
            .upstreamBody(route: Self.route(.gemini))
        #expect(converted.body["generationConfig"]?["seed"] == nil)
        #expect(
            converted.diagnostics.contains(
                ConversionDiagnostic(
                    severity: .warning, path: "/seed", message: "seed must be an integer, got string; dropped")))
    }
}
