import Convert
import Testing
import Wire

/// OpenAI's reasoning models refuse a temperature, `top_p` or penalty
/// other than the default, and `stop` at all, with 400: on a route to one,
/// converted requests go without them, each drop noted, and the proxy
/// applies the stop sequences.
@Suite struct OpenAIReasoningModelTests {
    static let chatRoute = RouteOptions(
        modelID: "o3", upstreamDialect: .openai, upstreamModel: "o3", reasoningModel: true)
    static let responsesRoute = RouteOptions(
        modelID: "gpt-5", upstreamDialect: .openaiResponses, upstreamModel: "gpt-5", reasoningModel: true)

    /// An Anthropic client's request with every setting these models fix
    /// (the penalties as an Anthropic client may carry them in the pivot).
    static func request(
        temperature: Double = 0.7, topP: Double = 0.9, penalty: Double = 0.5, stops: [String] = ["END"]
    ) throws -> ClientRequest {
        try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: [
                "model": "claude-test", "max_tokens": 100, "temperature": .double(temperature),
                "top_p": .double(topP), "presence_penalty": .double(penalty), "frequency_penalty": .double(penalty),
                "stop_sequences": .array(stops.map(JSONValue.string)),
                "messages": [["role": "user", "content": "Hi"]],
            ])
    }

    @Test func theNameDecidesDatedOrNotButNotTheChatModels() {
        let reasoning = [
            "o1", "o1-mini", "o3", "o3-mini", "o3-pro", "o4-mini", "o4-mini-2025-04-16", "gpt-5", "GPT-5",
            "gpt-5-mini", "gpt-5-nano", "gpt-5-2025-08-07", "gpt-5.1", "gpt-5.1-codex", "gpt-5.2-pro",
        ]
        for name in reasoning { #expect(OpenAIReasoningModel.matches(name), "\(name)") }
        let others = [
            "gpt-5-chat-latest", "gpt-5.1-chat-latest", "gpt-4o", "gpt-4.1-mini", "gpt-50", "omni-moderation-latest",
            "o", "deepseek-reasoner", "claude-opus-4", "",
        ]
        for name in others { #expect(!OpenAIReasoningModel.matches(name), "\(name)") }
    }

    @Test func aChatRequestGoesWithoutTheSettingsItsModelRefuses() throws {
        let request = try Self.request()
        let converted = try request.upstreamBody(route: Self.chatRoute)
        #expect(
            converted.body == [
                "model": "o3", "messages": [["role": "user", "content": "Hi"]], "max_tokens": 100,
            ])
        #expect(
            converted.diagnostics.filter { $0.severity != .debug } == [
                .init(
                    severity: .info, path: "/stop_sequences",
                    message: "OpenAI reasoning model o3 takes no stop sequences; the proxy applies them to the answer")
            ]
                + Self.refused(
                    model: "o3", ["temperature 0.7", "top_p 0.9", "presence_penalty 0.5", "frequency_penalty 0.5"]))
        #expect(request.stopSequencesAppliedByProxy(route: Self.chatRoute) == ["END"])
    }

    /// A value at its default is left out too, with only a debug note:
    /// o1 and o3-mini refuse the parameter whatever its value.
    @Test func defaultValuesAreLeftOutQuietly() throws {
        let converted = try Self.request(temperature: 1, topP: 1, penalty: 0, stops: [])
            .upstreamBody(route: Self.chatRoute)
        #expect(converted.body == ["model": "o3", "messages": [["role": "user", "content": "Hi"]], "max_tokens": 100])
        #expect(!converted.diagnostics.contains { $0.severity != .debug })
        #expect(
            converted.diagnostics.contains(
                .init(
                    severity: .debug, path: "/temperature",
                    message: "temperature 1.0: OpenAI reasoning model o3 takes only the default (1); left out")))
    }

    /// The route's own temperature is refused alike; `extra_body`, merged
    /// last, still sends what it names; a stop-sequence limit on the route
    /// wins over the model's none; another model keeps every setting.
    @Test func theRoutesOwnSettingsAndOtherModels() throws {
        var route = Self.chatRoute
        route.temperature = 0.2
        let request = try Self.request()
        #expect(try request.upstreamBody(route: route).body["temperature"] == nil)
        route.extraBody = ["temperature": 1]
        #expect(try request.upstreamBody(route: route).body["temperature"] == 1)
        route.maxStopSequences = 4
        #expect(try request.upstreamBody(route: route).body["stop"] == ["END"])
        #expect(request.stopSequencesAppliedByProxy(route: route) == nil)
        let other = RouteOptions(modelID: "gpt", upstreamDialect: .openai, upstreamModel: "o3")
        let sent = try request.upstreamBody(route: other).body
        #expect(sent["temperature"] == 0.7 && sent["top_p"] == 0.9 && sent["presence_penalty"] == 0.5)
        #expect(sent["stop"] == ["END"])
    }

    /// A Chat client passed through keeps what it sent, but the route's own
    /// temperature is not added (the model refuses it), with a warning.
    @Test func aPassedThroughRequestGetsNoTemperatureFromTheRoute() throws {
        var route = Self.chatRoute
        route.temperature = 0.2
        let chat = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: ["model": "o3", "messages": [["role": "user", "content": "Hi"]]])
        let sent = try chat.upstreamBody(route: route)
        #expect(sent.body["temperature"] == nil)
        #expect(
            sent.diagnostics.map(\.message) == [
                "the route's temperature 0.2 is not sent: OpenAI reasoning model o3 takes only the default (1)"
            ])
        route.reasoningModel = nil
        #expect(try chat.upstreamBody(route: route).body["temperature"] == 0.2)
    }

    /// GPT-5.1 and later take `temperature` and `top_p` when the request
    /// sends `reasoning_effort: "none"` (OpenAI's documented rule), and
    /// refuse them with any other effort; gpt-5 refuses them always. The
    /// penalties are not in the rule, and still go.
    @Test(arguments: [
        ("gpt-5.1", "none", true), ("gpt-5.1-2025-11-13", "none", true), ("gpt-5.2", "none", true),
        ("gpt-5.4-mini", "none", true), ("gpt-5.1", "low", false), ("gpt-5", "none", false),
        ("gpt-5-mini", "none", false), ("o3", "none", false),
    ])
    func aGPT51AskedForNoReasoningKeepsTemperatureAndTopP(model: String, effort: String, kept: Bool) throws {
        let request = try Self.request()
        var chat = RouteOptions(modelID: "m", upstreamDialect: .openai, upstreamModel: model, reasoningModel: true)
        chat.extraBody = ["reasoning_effort": .string(effort)]
        var responses = RouteOptions(
            modelID: "m", upstreamDialect: .openaiResponses, upstreamModel: model, reasoningModel: true)
        responses.extraBody = ["reasoning": ["effort": .string(effort)]]
        for route in [chat, responses] {
            let converted = try request.upstreamBody(route: route)
            #expect(converted.body["temperature"] == (kept ? 0.7 : nil), "\(route.upstreamDialect)")
            #expect(converted.body["top_p"] == (kept ? 0.9 : nil), "\(route.upstreamDialect)")
            #expect(converted.body["presence_penalty"] == nil)
            let warned = converted.diagnostics.filter { $0.severity == .warning }.map(\.path)
            #expect(warned.contains("/temperature") == !kept, "\(warned)")
        }
        // An effort left to the model's default is not taken as none.
        chat.extraBody = nil
        #expect(try request.upstreamBody(route: chat).body["temperature"] == nil)
    }

    /// A Chat client passed through to a GPT-5.1 route that asks for no
    /// reasoning gets the route's temperature; with another effort, not.
    @Test func aPassedThroughRequestWithNoReasoningGetsTheRoutesTemperature() throws {
        var route = RouteOptions(modelID: "m", upstreamDialect: .openai, upstreamModel: "gpt-5.1", reasoningModel: true)
        route.temperature = 0.2
        func sent(effort: String) throws -> ConvertedRequest {
            try ClientRequest(
                endpoint: ClientEndpoint(dialect: .openai),
                body: [
                    "model": "gpt-5.1", "reasoning_effort": .string(effort),
                    "messages": [["role": "user", "content": "Hi"]],
                ]
            ).upstreamBody(route: route)
        }
        let none = try sent(effort: "none")
        #expect(none.body["temperature"] == 0.2)
        #expect(none.diagnostics.isEmpty, "\(none.diagnostics)")
        #expect(try sent(effort: "medium").body["temperature"] == nil)
    }

    @Test func aResponsesRequestGoesWithoutTemperatureOrTopP() throws {
        let request = try Self.request()
        let converted = try request.upstreamBody(route: Self.responsesRoute)
        #expect(
            converted.body == [
                "model": "gpt-5", "input": [["role": "user", "content": "Hi"]],
                "max_output_tokens": 100, "store": false,
            ])
        #expect(
            converted.diagnostics.filter { $0.severity == .warning }
                == Self.refused(model: "gpt-5", ["temperature 0.7", "top_p 0.9"]))
        #expect(request.stopSequencesAppliedByProxy(route: Self.responsesRoute) == ["END"])
    }

    /// A stop sequence a route's rule adds is applied by the proxy as a
    /// client's is, where the upstream takes none; one a rule removes is not.
    @Test func stopSequencesARuleSetsOrRemovesAreTheOnesApplied() throws {
        let pointer = try #require(JSONPointer("/stop_sequences"))
        var route = Self.responsesRoute
        route.rules = [.set(pointer, ["END"])]
        let request = try Self.request(stops: [])
        #expect(request.stopSequencesAppliedByProxy(route: route) == ["END"])
        let answer: JSONValue = [
            "id": "resp_1", "object": "response", "status": "completed", "model": "gpt-5",
            "output": [
                [
                    "type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                    "content": [["type": "output_text", "text": "one END two", "annotations": []]],
                ]
            ],
            "usage": ["input_tokens": 5, "output_tokens": 3, "total_tokens": 8],
        ]
        let cut = try request.clientResponse(upstreamBody: answer, route: route, createdAt: 0).body
        #expect(cut["content"] == [["type": "text", "text": "one "]])
        #expect(cut["stop_reason"] == "stop_sequence" && cut["stop_sequence"] == "END")
        route.rules = [.remove(pointer)]
        #expect(try Self.request(stops: ["END"]).stopSequencesAppliedByProxy(route: route) == nil)
        // A Chat client's own `stop`, set by a rule, on a route that takes none.
        let chat = try ClientRequest(
            endpoint: #require(ClientEndpoint.parse(path: "/v1/chat/completions", query: nil)),
            body: ["model": "gpt-test", "messages": [["role": "user", "content": "Hi"]]])
        route = Self.chatRoute
        route.rules = [.set(pointer, ["END"])]
        #expect(chat.stopSequencesAppliedByProxy(route: route) == ["END"])
        #expect(try chat.upstreamBody(route: route).body["stop"] == nil)
    }

    /// The warnings for settings `model` refuses, each "name value".
    static func refused(model: String, _ settings: [String]) -> [ConversionDiagnostic] {
        settings.map { setting in
            let name = String(setting.prefix { $0 != " " })
            let value = name.hasSuffix("penalty") ? 0 : 1
            return ConversionDiagnostic(
                severity: .warning, path: "/\(name)",
                message:
                    "\(setting) not sent: OpenAI reasoning model \(model) takes only the default (\(value)); dropped")
        }
    }
}
