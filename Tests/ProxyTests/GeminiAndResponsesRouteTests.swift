import Convert
import TestSupport
import Testing
import Wire

/// `format: gemini` and `format: openai-responses` routes through the running
/// proxy, with real provider answers from the shared fixtures: the right URL
/// and key header reach the upstream, and the client gets a valid Anthropic
/// answer with the provider's real content.
@Suite struct GeminiAndResponsesRouteTests {
    private static let clientKey = "sk-client-gemini-responses"

    /// Text, thinking and tool input per block of an Anthropic stream.
    struct StreamedMessage {
        var blockTypes: [String] = []
        var texts: [String] = []
        var stopReason: String?
        var outputTokens: Int?

        init(_ reply: ProxyHarness.Reply) {
            for frame in sseFrames(reply.text) {
                guard let data = try? JSONValue(parsing: frame.data) else { continue }
                switch frame.event {
                case "content_block_start":
                    blockTypes.append(data["content_block"]?["type"]?.stringValue ?? "?")
                    texts.append(data["content_block"]?["text"]?.stringValue ?? "")
                case "content_block_delta":
                    let delta = data["delta"]
                    let piece =
                        delta?["text"]?.stringValue ?? delta?["thinking"]?.stringValue
                        ?? delta?["partial_json"]?.stringValue ?? ""
                    if !texts.isEmpty { texts[texts.count - 1] += piece }
                case "message_delta":
                    stopReason = data["delta"]?["stop_reason"]?.stringValue
                    outputTokens = data["usage"]?["output_tokens"]?.intValue
                default: break
                }
            }
        }
    }

    private static func fixtureJSON(_ relative: String) throws -> String {
        String(decoding: try Fixtures.bytes(atPath: try Fixtures.path(relative)), as: UTF8.self)
    }

    // MARK: Gemini

    @Test func geminiStreamGoesToStreamGenerateContentAndComesBackAsAnthropicEvents() async throws {
        try await ProxyHarness.run { proxy in
            let bytes = try Fixtures.sseBytes(chunksFile: try Fixtures.path("providers/gemini/google-text.chunks.txt"))
            proxy.stub.reply = .eventStream(splitting: bytes)
            let reply = try await proxy.post(
                "/v1/messages?beta=true", json: ProxyHarness.messages(model: "gemini", stream: true),
                headers: [("x-api-key", Self.clientKey)])
            #expect(reply.status == 200)
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            let message = StreamedMessage(reply)
            #expect(message.blockTypes == ["text"], "the signature after the text is dropped")
            #expect(message.texts.first == "There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y")
            #expect(message.stopReason == "end_turn")
            #expect(message.outputTokens == 208)
            #expect(sseFrames(reply.text).first.map { $0.data.contains("\"model\":\"gemini\"") } == true)

            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent")
            #expect(sent.query == "alt=sse", "the client's beta=true is Anthropic's, not Gemini's")
            #expect(sent.header("x-goog-api-key") == Self.clientKey)
            #expect(sent.header("authorization") == nil)
            #expect(sent.header("x-api-key") == nil)
            #expect(sent.header("anthropic-version") == nil)
            let body = try JSONValue(parsing: sent.body)
            #expect(body["contents"]?[0]?["parts"]?[0]?["text"] == "Say hello")
            #expect(body["model"] == nil && body["stream"] == nil, "both are in Gemini's URL")
        }
    }

    @Test func geminiNonStreamingGoesToGenerateContent() async throws {
        try await ProxyHarness.run(apiKey: "route-gemini-key") { proxy in
            proxy.stub.reply = .json(200, try Self.fixtureJSON("providers/gemini/google-text.json"))
            let reply = try await proxy.post(
                "/v1/messages?beta=true", json: ProxyHarness.messages(model: "gemini"),
                headers: [("x-api-key", Self.clientKey)])
            #expect(reply.status == 200, "\(reply.text)")
            let message = try #require(reply.json)
            #expect(message["model"] == "gemini")
            #expect(message["content"]?[0]?["type"] == "thinking", "the text part's signature, before its text")
            #expect(
                message["content"]?[1]
                    == [
                        "type": "text",
                        "text": "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
                    ])
            #expect(message["content"]?.arrayValue?.count == 2)
            #expect(message["stop_reason"] == "end_turn")
            #expect(message["usage"]?["input_tokens"] == 9)

            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1beta/models/gemini-2.5-flash:generateContent")
            #expect(sent.query == nil)
            #expect(sent.header("x-goog-api-key") == "route-gemini-key", "the route's key wins")
        }
    }

    /// A Chat client's schema reaches a Gemini route as Gemini's own
    /// structured output, not dropped for free text.
    @Test func chatClientsSchemaReachesGeminiAsResponseJsonSchema() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, try Self.fixtureJSON("providers/gemini/google-text.json"))
            let schema: JSONValue = [
                "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
                "additionalProperties": false,
            ]
            let request: JSONValue = [
                "model": "gemini", "messages": [["role": "user", "content": "Weather?"]],
                "response_format": [
                    "type": "json_schema", "json_schema": ["name": "weather", "schema": schema, "strict": true],
                ],
            ]
            let reply = try await proxy.post(
                "/v1/chat/completions", json: request, headers: [("authorization", "Bearer \(Self.clientKey)")])
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try #require(proxy.stub.requests.first)
            let config = try JSONValue(parsing: sent.body)["generationConfig"]
            #expect(config?["responseMimeType"] == "application/json")
            #expect(config?["responseJsonSchema"] == schema)
            #expect(config?["responseSchema"] == nil)
        }
    }

    @Test func geminiRateLimitKeepsGooglesRetryDelay() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(429, try Self.fixtureJSON("providers/gemini/google-429-retry-info.json"))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gemini", stream: true))
            #expect(reply.status == 429)
            #expect(reply.errorType == "rate_limit_error")
            #expect(reply.errorMessage?.contains("gemini") == true)
            #expect(reply.headers.first(name: "retry-after") != nil)
        }
    }

    // MARK: OpenAI Responses

    /// The last of the four responses in the agent-loop fixture: final text.
    private static func lastResponseStream() throws -> [UInt8] {
        let payloads = try Fixtures.chunkPayloads(
            atPath: try Fixtures.path("providers/openai-responses/openai-reasoning-encrypted-content.1.chunks.txt"))
        let start = try #require(payloads.lastIndex { $0.hasPrefix(#"{"type":"response.created""#) })
        return Fixtures.sseBytes(payloads: Array(payloads[start...]), framing: .namedByType)
    }

    @Test func responsesStreamIsConvertedToAnthropicEvents() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream(splitting: try Self.lastResponseStream(), maxPiece: 13)
            let reply = try await proxy.post(
                "/v1/messages?beta=true", json: ProxyHarness.messages(model: "responses", stream: true),
                headers: [("authorization", "Bearer \(Self.clientKey)")])
            #expect(reply.status == 200)
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            let message = StreamedMessage(reply)
            #expect(message.blockTypes == ["text"])
            #expect(message.texts == ["The final result is **570**."])
            #expect(message.stopReason == "end_turn")
            #expect(message.outputTokens == 12)

            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1/responses")
            #expect(sent.query == nil)
            #expect(sent.header("authorization") == "Bearer \(Self.clientKey)")
            let body = try JSONValue(parsing: sent.body)
            #expect(body["model"] == "gpt-5-mini")
            #expect(body["stream"] == true)
            #expect(body["input"] != nil)
        }
    }

    @Test func responsesNonStreamingKeepsReasoningAndText() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(
                200, try Self.fixtureJSON("providers/openai-responses/openai-reasoning-encrypted-content.1.json"))
            let reply = try await proxy.post(
                json: ProxyHarness.messages(model: "responses"), headers: [("x-api-key", Self.clientKey)])
            #expect(reply.status == 200, "\(reply.text)")
            let message = try #require(reply.json)
            #expect(message["content"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" } == ["thinking", "text"])
            #expect(message["content"]?[0]?["thinking"]?.stringValue?.hasPrefix("**Reporting final result**") == true)
            #expect(message["content"]?[1]?["text"] == "12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570")
            #expect(message["usage"]?["output_tokens"] == 163)

            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1/responses")
            #expect(sent.header("authorization") == "Bearer \(Self.clientKey)")
            #expect(try JSONValue(parsing: sent.body)["stream"] != true)
        }
    }

    @Test func responsesInStreamErrorEndsWithAnErrorEvent() async throws {
        try await ProxyHarness.run { proxy in
            let bytes = try Fixtures.sseBytes(
                chunksFile: try Fixtures.path("providers/openai-responses/openai-error.1.chunks.txt"))
            proxy.stub.reply = .eventStream(splitting: bytes)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "responses", stream: true))
            #expect(reply.status == 200)
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            let last = try #require(sseFrames(reply.text).last)
            #expect(last.event == "error")
            #expect(try JSONValue(parsing: last.data)["error"]?["type"] == "rate_limit_error")
        }
    }

    // MARK: count_tokens

    @Test(arguments: ["gpt", "gemini", "responses"])
    func countTokensIsEstimatedLocally(model: String) async throws {
        try await ProxyHarness.run { proxy in
            let request = ProxyHarness.messages(model: model)
            let reply = try await proxy.post("/v1/messages/count_tokens?beta=true", json: request)
            #expect(reply.status == 200)
            #expect(
                reply.json == [
                    "input_tokens": .int(Int64(TokenEstimator.estimateInputTokens(anthropicRequest: request)))
                ])
            #expect(proxy.stub.requests.isEmpty)
        }
    }
}
