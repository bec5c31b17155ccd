import TestSupport
import Testing
import Wire

@Suite struct HappyPathTests {
    @Test func openAINonStreamingIsConverted() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(
                json: ProxyHarness.messages(model: "gpt"), headers: [("x-api-key", "sk-client")])
            #expect(reply.status == 200)
            let message = try #require(reply.json)
            #expect(message["type"] == "message")
            #expect(message["model"] == "gpt")
            #expect(message["content"]?[0]?["text"] == "Hello there")
            #expect(message["stop_reason"] == "end_turn")
            #expect(message["usage"]?["input_tokens"] == 5)
            #expect(message["usage"]?["output_tokens"] == 2)

            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.header("authorization") == "Bearer sk-client")
            #expect(sent.header("x-api-key") == nil)
            let body = try JSONValue(parsing: sent.body)
            #expect(body["model"] == "upstream-gpt")
            #expect(body["messages"] != nil)
        }
    }

    @Test func openAIStreamIsConvertedToAnthropicEvents() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream, delay: .milliseconds(5))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
            #expect(reply.headers.first(name: "request-id")?.hasPrefix("req_") == true)
            let frames = sseFrames(reply.text)
            #expect(frames.first?.event == "message_start")
            #expect(frames.last?.event == "message_stop")
            let text = frames.filter { $0.event == "content_block_delta" }
                .compactMap { try? JSONValue(parsing: $0.data)["delta"]?["text"]?.stringValue }.joined()
            #expect(text == "Hello")
            #expect(!reply.text.contains("[DONE]"))
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
            let delta = try #require(frames.last { $0.event == "message_delta" })
            let deltaJSON = try JSONValue(parsing: delta.data)
            #expect(deltaJSON["delta"]?["stop_reason"] == "end_turn")
            #expect(deltaJSON["usage"]?["output_tokens"] == 2)
            let sent = try #require(proxy.stub.requests.first)
            #expect(try JSONValue(parsing: sent.body)["stream"] == true)
        }
    }

    @Test func anthropicStreamIsRelayedByteForByte() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.anthropicStream, delay: .milliseconds(2))
            let reply = try await proxy.send(
                .POST, "/v1/messages?beta=true&key=CLIENT-QUERY-SECRET",
                body: ProxyHarness.messages(model: "claude", stream: true).serialized(),
                headers: [
                    ("content-type", "application/json"), ("x-api-key", "sk-ant-client"),
                    ("anthropic-version", "2023-06-01"), ("anthropic-beta", "fine-grained-tool-streaming-2025-05-14"),
                ])
            #expect(reply.status == 200)
            #expect(reply.text == UpstreamBodies.anthropicStream.joined())

            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1/messages")
            #expect(sent.query == "beta=true", "only beta of the client's query goes on")
            #expect(sent.header("x-api-key") == "sk-ant-client")
            #expect(sent.header("authorization") == nil)
            #expect(sent.header("anthropic-version") == "2023-06-01")
            #expect(sent.header("anthropic-beta") == "fine-grained-tool-streaming-2025-05-14")
            let body = try JSONValue(parsing: sent.body)
            #expect(body["model"] == "upstream-claude")
            #expect(body["messages"] == ProxyHarness.messages()["messages"])
        }
    }

    @Test func anthropicNonStreamingBodyIsPassedOn() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let reply = try await proxy.post("/anthropic/v1/messages", json: ProxyHarness.messages(model: "claude"))
            #expect(reply.status == 200)
            #expect(reply.text == UpstreamBodies.anthropicMessage)
        }
    }

    /// Responses carry the model the client asked for, not the upstream's
    /// name for it; nothing else changes.
    @Test func anthropicAnswersNameTheRequestedModel() async throws {
        try await ProxyHarness.run { proxy in
            let upstreamNamed = UpstreamBodies.anthropicMessage.replacingOccurrences(
                of: #""model":"claude""#, with: #""model":"upstream-claude""#)
            proxy.stub.reply = .json(200, upstreamNamed)
            let plain = try await proxy.post(json: ProxyHarness.messages(model: "claude"))
            #expect(plain.json == (try JSONValue(parsing: UpstreamBodies.anthropicMessage)))

            let stream = UpstreamBodies.anthropicStream.joined()
            proxy.stub.reply = .eventStream(
                [stream.replacingOccurrences(of: #""model":"claude""#, with: #""model":"upstream-claude""#)])
            let streamed = try await proxy.post(json: ProxyHarness.messages(model: "claude", stream: true))
            #expect(streamed.text == stream)
        }
    }

    @Test func aliasRoutesClaudeCodesModelNames() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude-3-5-haiku-20241022"))
            #expect(reply.status == 200)
            #expect(reply.json?["model"] == "claude-3-5-haiku-20241022")
            #expect(proxy.stub.requests.first?.path == "/v1/chat/completions")
        }
    }

    @Test func routeKeyWinsAndGoesInTheDialectsHeader() async throws {
        try await ProxyHarness.run(apiKey: "sk-route") { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            _ = try await proxy.post(
                json: ProxyHarness.messages(model: "claude"), headers: [("x-api-key", "sk-client")])
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            _ = try await proxy.post(
                json: ProxyHarness.messages(model: "gpt"), headers: [("authorization", "Bearer sk-client")])
            let requests = proxy.stub.requests
            #expect(requests.count == 2)
            #expect(requests.first?.header("x-api-key") == "sk-route")
            #expect(requests.last?.header("authorization") == "Bearer sk-route")
        }
    }

    @Test func clientBearerTokenBecomesXAPIKeyForAnthropic() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            _ = try await proxy.post(
                json: ProxyHarness.messages(model: "claude"), headers: [("authorization", "Bearer tok")])
            #expect(proxy.stub.requests.first?.header("x-api-key") == "tok")
            #expect(proxy.stub.requests.first?.header("authorization") == nil)
        }
    }

    @Test func countTokensIsForwardedToAnthropicUpstreams() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, #"{"input_tokens":42}"#)
            var request = ProxyHarness.messages(model: "claude")
            request["max_tokens"] = nil
            let reply = try await proxy.post("/v1/messages/count_tokens?beta=true", json: request)
            #expect(reply.status == 200)
            #expect(reply.json == ["input_tokens": 42])
            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1/messages/count_tokens")
            #expect(try JSONValue(parsing: sent.body)["model"] == "upstream-claude")
        }
    }

    @Test func modelsAreListedFromTheConfig() async throws {
        try await ProxyHarness.run { proxy in
            let list = try await proxy.send(.GET, "/v1/models")
            #expect(list.status == 200)
            let ids = list.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(ids == ["gpt", "claude", "gemini", "responses", "down"])
            #expect(list.json?["has_more"] == false)
            #expect(list.json?["first_id"] == "gpt")
            #expect(list.json?["data"]?[0]?["type"] == "model")

            let one = try await proxy.send(.GET, "/v1/models/claude")
            #expect(one.status == 200)
            #expect(one.json?["id"] == "claude")
            let alias = try await proxy.send(.GET, "/v1/models/claude-haiku-4-5")
            #expect(alias.json?["id"] == "claude-haiku-4-5")
            let missing = try await proxy.send(.GET, "/v1/models/nope")
            #expect(missing.status == 404)
            #expect(missing.errorType == "not_found_error")
        }
    }

    /// google-genai given a base URL asks `/v1/models` with its own key;
    /// with `v1beta` (or a `/gemini` prefix) the path says Gemini.
    @Test func geminiClientsGetGeminiModels() async throws {
        try await ProxyHarness.run { proxy in
            let googKey = [("x-goog-api-key", "k")]
            for (path, headers) in [("/v1/models", googKey), ("/v1/models?key=k", []), ("/gemini/v1/models", [])] {
                let list = try await proxy.send(.GET, path, headers: headers)
                #expect(list.status == 200)
                let names = list.json?["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
                #expect(names == ["models/gpt", "models/claude", "models/gemini", "models/responses", "models/down"])
            }
            // An Anthropic client on the same path still gets Anthropic's list.
            let anthropic = try await proxy.send(.GET, "/v1/models", headers: [("x-api-key", "k")])
            #expect(anthropic.json?["data"]?[0]?["type"] == "model" && anthropic.json?["models"] == nil)

            for (path, headers) in [
                ("/v1/models/gemini", googKey), ("/v1/models/gemini?key=k", []), ("/v1beta/models/gemini", []),
                ("/gemini/v1beta/models/gemini", []), ("/gemini/v1/models/gemini", []),
            ] {
                let one = try await proxy.send(.GET, path, headers: headers)
                #expect(one.status == 200, "\(path): \(one.text)")
                #expect(
                    one.json
                        == [
                            "name": "models/gemini", "displayName": "gemini",
                            "supportedGenerationMethods": ["generateContent", "streamGenerateContent", "countTokens"],
                        ], "\(path)")
            }
            let alias = try await proxy.send(.GET, "/v1beta/models/claude-haiku-4-5")
            #expect(alias.json?["name"] == "models/claude-haiku-4-5")
            #expect(alias.json?["displayName"] == "claude-haiku-4-5 (served by gpt)")

            for (path, headers) in [("/v1beta/models/nope", []), ("/v1/models/nope", googKey)] {
                let missing = try await proxy.send(.GET, path, headers: headers)
                #expect(missing.status == 404)
                #expect(missing.json?["error"]?["status"] == "NOT_FOUND", "\(path): \(missing.text)")
            }
        }
    }

    @Test func healthAnswers() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.send(.GET, "/health")
            #expect(reply.status == 200)
            #expect(reply.json == ["status": "ok"])
        }
    }

    @Test func everyResponseHasItsOwnRequestID() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            var ids: Set<String> = []
            for _ in 0..<5 {
                let reply = try await proxy.post(json: ProxyHarness.messages())
                ids.insert(try #require(reply.headers.first(name: "request-id")))
            }
            ids.insert(try #require(try await proxy.send(.GET, "/health").headers.first(name: "request-id")))
            #expect(ids.count == 6)
            #expect(ids.allSatisfy { $0.hasPrefix("req_") && $0.count == 34 })
        }
    }
}
