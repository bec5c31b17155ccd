import Convert
import TestSupport
import Testing
import Wire

/// OpenAI Responses' `POST /v1/responses/input_tokens` (the openai SDK's
/// `responses.input_tokens.count`): counted by a Responses upstream itself,
/// else estimated locally as `count_tokens` is; `responses.compact` is
/// refused as unsupported, not as an unknown endpoint.
@Suite struct ResponsesInputTokensTests {
    static let request: JSONValue = [
        "model": "responses", "instructions": "Be brief.",
        "input": [["role": "user", "content": "How many tokens is this sentence?"]],
    ]

    @Test func aResponsesUpstreamCountsForItself() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, #"{"object":"response.input_tokens","input_tokens":42}"#)
            let reply = try await proxy.post("/v1/responses/input_tokens", json: Self.request)
            #expect(reply.status == 200)
            #expect(reply.json == ["object": "response.input_tokens", "input_tokens": 42])
            let sent = try #require(proxy.stub.requests.first)
            #expect(sent.path == "/v1/responses/input_tokens")
            let body = try JSONValue(parsing: sent.body)
            #expect(body["model"] == "gpt-5-mini")
            #expect(body["input"] == Self.request["input"])
        }
    }

    @Test func theUpstreamsRefusalComesInTheResponsesShape() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(
                400, #"{"error":{"message":"bad input","type":"invalid_request_error","param":"input","code":null}}"#)
            let reply = try await proxy.post("/openai/v1/responses/input_tokens", json: Self.request)
            #expect(reply.status == 400)
            #expect(reply.json?["error"]?["type"] == "invalid_request_error")
            #expect(reply.errorMessage?.contains("bad input") == true)
        }
    }

    @Test(arguments: ["gpt", "claude", "gemini"])
    func otherUpstreamsAreEstimatedLocally(model: String) async throws {
        try await ProxyHarness.run { proxy in
            var request = Self.request
            request["model"] = .string(model)
            let reply = try await proxy.post("/v1/responses/input_tokens", json: request)
            #expect(reply.status == 200)
            let pivot = try ClientRequest(endpoint: ClientEndpoint(dialect: .openaiResponses), body: request)
                .pivotRequest()
            let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: pivot.body)
            #expect(estimate > 5)
            #expect(reply.json == ["object": "response.input_tokens", "input_tokens": .int(Int64(estimate))])
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    @Test func anUnknownModelIsRefusedInTheResponsesShape() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post("/v1/responses/input_tokens", json: ["model": "nope", "input": "hi"])
            #expect(reply.status == 404)
            #expect(reply.json?["type"] == nil)
            #expect(reply.json?["error"]?["code"] == "model_not_found")
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    @Test(arguments: ["/v1/responses/compact", "/openai/v1/responses/compact", "/responses/compact"])
    func compactIsRefusedAsUnsupported(path: String) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(path, json: Self.request)
            #expect(reply.status == 404)
            #expect(reply.json?["type"] == nil)
            #expect(reply.json?["error"]?["type"] == "not_found_error")
            let message = try #require(reply.errorMessage)
            #expect(message.contains("compact (responses.compact) is not supported"))
            #expect(!message.contains("unknown endpoint"))
            #expect(proxy.stub.requests.isEmpty)
        }
    }
}
