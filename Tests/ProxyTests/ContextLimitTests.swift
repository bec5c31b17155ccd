import Convert
import Testing
import Wire

/// `context` (and `max_input_tokens`) at work: the output cap fitted to the
/// window, a too-long input refused with 400 ("prompt is too long") before any upstream call, and
/// the limits on every models list.
@Suite struct ContextLimitTests {
    static func yaml(_ base: String) -> String {
        """
        models:
          - model_id: small
            model_name: upstream-small
            api_base: \(base)/v1
            format: openai
            context: 1000
          - model_id: capped
            model_name: upstream-capped
            api_base: \(base)/v1
            format: openai
            context: 1K
            max_tokens: 300
          - model_id: claude
            model_name: upstream-claude
            api_base: \(base)
            format: anthropic
            max_input_tokens: 1000
          - model_id: open
            model_name: upstream-open
            api_base: \(base)/v1
            format: openai
        """
    }

    static func run<T>(_ body: (ProxyHarness) async throws -> T) async throws -> T {
        try await ProxyHarness.run(configYAML: yaml, body)
    }

    private static let longText = String(repeating: "word ", count: 1000)

    @Test func outputCapIsFittedToWhatTheWindowLeaves() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let request = ProxyHarness.messages(model: "small", maxTokens: 5000)
            let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: request)
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["max_tokens"]?.intValue == 1000 - estimate)

            // The configured cap still wins when it is lower.
            _ = try await proxy.post(json: ProxyHarness.messages(model: "capped", maxTokens: 5000))
            #expect(try JSONValue(parsing: try #require(proxy.stub.requests.last).body)["max_tokens"]?.intValue == 300)

            // A request that fits is left alone.
            _ = try await proxy.post(json: ProxyHarness.messages(model: "small", maxTokens: 100))
            #expect(try JSONValue(parsing: try #require(proxy.stub.requests.last).body)["max_tokens"]?.intValue == 100)
        }
    }

    @Test func anthropicRouteWithMaxInputTokensIsFittedToo() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let request = ProxyHarness.messages(model: "claude", maxTokens: 4000)
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(
                sent["max_tokens"]?.intValue == 1000 - TokenEstimator.estimateInputTokens(anthropicRequest: request))
        }
    }

    /// Anthropic refuses an overlong prompt with 400 `invalid_request_error`
    /// "prompt is too long" (Claude Code compacts);
    /// OpenAI with 400 `context_length_exceeded`, Gemini with 400
    /// `INVALID_ARGUMENT`, which their clients match on.
    @Test func inputAloneOverTheWindowIsRefusedInEachClientsShapeWithNoUpstreamCall() async throws {
        try await Self.run { proxy in
            let anthropic = try await proxy.post(
                json: [
                    "model": "small", "max_tokens": 10,
                    "messages": [["role": "user", "content": .string(Self.longText)]],
                ])
            #expect(anthropic.status == 400)
            #expect(anthropic.errorType == "invalid_request_error")
            #expect(anthropic.errorMessage?.hasPrefix("prompt is too long: about ") == true)
            #expect(anthropic.errorMessage?.contains("> 1000 maximum") == true)

            let openAI = try await proxy.post(
                "/v1/chat/completions",
                json: ["model": "small", "messages": [["role": "user", "content": .string(Self.longText)]]])
            #expect(openAI.status == 400)
            #expect(openAI.json?["error"]?["code"] == "context_length_exceeded")
            #expect(openAI.json?["error"]?["type"] == "invalid_request_error")
            #expect(openAI.json?["error"]?["param"] == "messages")

            let gemini = try await proxy.post(
                "/v1beta/models/claude:generateContent",
                json: ["contents": [["role": "user", "parts": [["text": .string(Self.longText)]]]]])
            #expect(gemini.status == 400)
            #expect(gemini.json?["error"]?["code"]?.intValue == 400)
            #expect(gemini.json?["error"]?["status"] == "INVALID_ARGUMENT")

            #expect(proxy.stub.requests.isEmpty)
        }
    }

    @Test func passThroughClientIsFittedToo() async throws {
        try await Self.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(
                "/v1/chat/completions",
                json: ["model": "small", "max_tokens": 99999, "messages": [["role": "user", "content": "Hi"]]])
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            let cap = try #require(sent["max_tokens"]?.intValue)
            #expect(cap < 1000 && cap > 900)
        }
    }

    @Test func modelListsReportEachEntrysLimits() async throws {
        try await Self.run { proxy in
            let anthropic = try #require(try await proxy.send(.GET, "/v1/models").json?["data"]?.arrayValue)
            #expect(anthropic.map { $0["max_input_tokens"]?.intValue } == [1000, 1000, 1000, nil])
            #expect(anthropic.map { $0["max_tokens"]?.intValue } == [nil, 300, nil, nil])
            #expect(anthropic[3]["max_input_tokens"] == nil)

            let one = try #require(try await proxy.send(.GET, "/v1/models/capped").json)
            #expect(one["max_input_tokens"]?.intValue == 1000 && one["max_tokens"]?.intValue == 300)

            let openAI = try #require(try await proxy.send(.GET, "/openai/v1/models").json?["data"]?.arrayValue)
            #expect(openAI.map { $0["max_input_tokens"]?.intValue } == [1000, 1000, 1000, nil])

            let gemini = try #require(try await proxy.send(.GET, "/v1beta/models").json?["models"]?.arrayValue)
            #expect(gemini.map { $0["inputTokenLimit"]?.intValue } == [1000, 1000, 1000, nil])
            #expect(gemini.map { $0["outputTokenLimit"]?.intValue } == [nil, 300, nil, nil])

            let geminiOne = try #require(try await proxy.send(.GET, "/v1beta/models/capped").json)
            #expect(geminiOne["inputTokenLimit"]?.intValue == 1000 && geminiOne["outputTokenLimit"]?.intValue == 300)
        }
    }
}

/// Anthropic refuses a thinking budget at or above `max_tokens`: when the
/// window lowers `max_tokens`, the budget follows, leaving the answer room.
@Suite struct ContextLimitThinkingTests {
    @Test func thinkingBudgetIsLoweredBelowTheFittedMaxTokensOrRemoved() async throws {
        try await ContextLimitTests.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            var request = ProxyHarness.messages(model: "claude", maxTokens: 32000)
            request["thinking"] = ["type": "enabled", "budget_tokens": 31999]
            #expect(try await proxy.post(json: request).status == 200)
            var sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            let maxTokens = try #require(sent["max_tokens"]?.intValue)
            #expect(maxTokens < 1000)
            // 1000-token window: not even Anthropic's smallest budget (1,024) fits.
            #expect(sent["thinking"] == nil, "\(sent)")

            try await ProxyHarness.run(
                configYAML: { base in
                    "- {model_id: big, model_name: up, api_base: \"\(base)\", direct: true, context: 20000}\n"
                }
            ) { roomy in
                roomy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
                request["model"] = "big"
                #expect(try await roomy.post(json: request).status == 200)
                sent = try JSONValue(parsing: try #require(roomy.stub.requests.last).body)
                let fitted = try #require(sent["max_tokens"]?.intValue)
                #expect(fitted < 20000 && fitted > 19000)
                // Lowered with it, leaving the answer its 4,096 tokens, not one.
                #expect(sent["thinking"]?["budget_tokens"]?.intValue == fitted - 4096, "\(sent)")
            }
        }
    }
}
