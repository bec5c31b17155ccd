import AsyncHTTPClient
import TestSupport
import Testing
import Wire

/// Requests no endpoint takes: a wrong method on a served path is 405 with
/// `Allow`, an unknown path 404 saying what is served, each in the dialect
/// the path suggests; OpenAI's paths without `/v1` are served.
@Suite struct EndpointRefusalTests {
    static let served =
        "this proxy serves POST /v1/messages, /v1/chat/completions, /v1/responses and Gemini's "
        + "models/{model}:generateContent"

    /// The error body a client of `dialect` (`anthropic`, `openai`,
    /// `gemini`) gets for `status`, whose Anthropic type is `type`.
    static func errorBody(_ dialect: String, status: Int64, type: String, _ message: String) -> JSONValue {
        switch dialect {
        case "anthropic": ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        case "openai":
            ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": .string(type)]]
        default:
            [
                "error": [
                    "code": .int(status), "message": .string(message),
                    "status": status == 404 ? "NOT_FOUND" : "UNIMPLEMENTED",
                ]
            ]
        }
    }

    /// google-genai's `embed_content` (api_version v1 or v1beta), and other
    /// Gemini methods the proxy lacks.
    @Test(arguments: [
        "/v1/models/gpt-4o:batchEmbedContents", "/v1beta/models/gpt-4o:batchEmbedContents",
        "/gemini/v1/models/gpt:embedContent",
    ])
    func aGeminiMethodTheProxyLacksIs404InGeminiShape(path: String) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(path, json: ["requests": []], headers: [("x-goog-api-key", "k")])
            #expect(reply.status == 404)
            let method = String(path[path.index(after: path.lastIndex(of: ":")!)...])
            #expect(
                reply.json
                    == Self.errorBody(
                        "gemini", status: 404, type: "not_found_error",
                        "unknown endpoint: POST \(path); Gemini's \(method) is not supported: this proxy serves "
                            + "models/{model}:generateContent, :streamGenerateContent and :countTokens"))
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    /// The same methods asked with GET are not models to describe (the
    /// models route read `gpt:embedContent` as a model, answered as one by
    /// a default route); a model whose tag is no method's name still is.
    @Test func aGeminiMethodTheProxyLacksAskedWithGetIs404Too() async throws {
        try await ProxyHarness.run { proxy in
            let path = "/v1beta/models/gpt:embedContent"
            let reply = try await proxy.send(.GET, path, headers: [("x-goog-api-key", "k")])
            #expect(reply.status == 404)
            #expect(
                reply.json
                    == Self.errorBody(
                        "gemini", status: 404, type: "not_found_error",
                        "unknown endpoint: GET \(path); Gemini's embedContent is not supported: this proxy serves "
                            + "models/{model}:generateContent, :streamGenerateContent and :countTokens"))
            let model = try await proxy.send(.GET, "/v1beta/models/gpt", headers: [("x-goog-api-key", "k")])
            #expect(model.status == 200, "\(model.text)")
        }
    }

    /// A generate path asked with another method: 405, `Allow: POST`, in
    /// the path's own dialect (a Gemini `:generateContent` is not a model
    /// to get).
    @Test(arguments: [
        ("GET", "/v1/messages", "anthropic"), ("GET", "/v1/messages/count_tokens", "anthropic"),
        ("PUT", "/v1/chat/completions", "openai"), ("GET", "/v1/responses", "openai"),
        ("GET", "/responses", "openai"), ("GET", "/v1/responses/input_tokens", "openai"),
        ("GET", "/openai/v1/responses/input_tokens", "openai"), ("PUT", "/responses/input_tokens", "openai"),
        ("DELETE", "/anthropic/v1/messages/count_tokens", "anthropic"),
        ("GET", "/v1beta/models/gemini-2.5-flash:generateContent", "gemini"),
        ("GET", "/v1/models/gemini:streamGenerateContent", "gemini"),
        ("DELETE", "/gemini/v1beta/models/m:countTokens", "gemini"),
    ])
    func aWrongMethodOnAGenerateEndpointIs405(method: String, path: String, dialect: String) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.send(.init(rawValue: method), path, headers: [("x-goog-api-key", "k")])
            #expect(reply.status == 405)
            #expect(reply.headers["allow"] == ["POST"])
            #expect(reply.headers.first(name: "request-id")?.hasPrefix("req_") == true)
            let message = "method \(method) is not allowed on \(path), which takes POST"
            #expect(reply.json == Self.errorBody(dialect, status: 405, type: "invalid_request_error", message))
            try await expectStillServing(proxy)
        }
    }

    /// The read-only endpoints asked with another method.
    @Test(arguments: [
        ("DELETE", "/v1/models", "anthropic", "GET, HEAD"), ("POST", "/v1/models/gpt", "anthropic", "GET, HEAD"),
        ("PUT", "/openai/v1/models", "openai", "GET, HEAD"), ("DELETE", "/v1beta/models/gemini", "gemini", "GET, HEAD"),
        ("POST", "/health", "anthropic", "GET, HEAD"), ("POST", "/metrics", "anthropic", "GET, HEAD"),
        ("DELETE", "/v1/stats", "anthropic", "GET, HEAD"), ("PUT", "/anthropic/v1/stats", "anthropic", "GET, HEAD"),
    ])
    func aWrongMethodOnAReadOnlyEndpointIs405(
        method: String, path: String, dialect: String, allow: String
    )
        async throws
    {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.send(
                .init(rawValue: method), path, body: method == "POST" ? Array("{}".utf8) : nil)
            #expect(reply.status == 405)
            #expect(reply.headers["allow"] == [allow])
            let message = "method \(method) is not allowed on \(path), which takes \(allow)"
            #expect(reply.json == Self.errorBody(dialect, status: 405, type: "invalid_request_error", message))
        }
    }

    /// An OpenAI SDK (or LiteLLM) given a base URL without `/v1`.
    @Test func openAIPathsWithoutV1AreServed() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let chat: JSONValue = ["model": "gpt", "messages": [["role": "user", "content": "hi"]]]
            let completion = try await proxy.post("/chat/completions", json: chat)
            #expect(completion.status == 200)
            #expect(completion.json?["object"] == "chat.completion")
            #expect(completion.json?["choices"]?[0]?["message"]?["content"] == "Hello there")
            let response = try await proxy.post("/responses", json: ["model": "gpt", "input": "hi"])
            #expect(response.status == 200)
            #expect(response.json?["object"] == "response")
            #expect(response.json?["status"] == "completed")
            #expect(proxy.stub.requests.map(\.path) == ["/v1/chat/completions", "/v1/chat/completions"])
        }
    }

    /// Unknown paths: 404 in the dialect the path suggests, saying what is
    /// served.
    @Test(arguments: [
        ("POST", "/v1/embeddings", [], "openai"), ("POST", "/embeddings", [], "openai"),
        ("POST", "/v1/completions", [], "openai"), ("GET", "/v1/responses/resp_1", [], "openai"),
        ("GET", "/models", [("authorization", "Bearer sk-1")], "openai"), ("GET", "/models", [], "anthropic"),
        ("POST", "/v2/messages", [], "anthropic"), ("GET", "/", [], "anthropic"),
        ("POST", "/v1/messages/", [], "anthropic"), ("POST", "/v1beta/files", [], "gemini"),
    ])
    func anUnknownPathIs404InTheDialectItSuggests(
        method: String, path: String, headers: [(String, String)], dialect: String
    ) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.send(
                .init(rawValue: method), path, body: method == "POST" ? Array("{}".utf8) : nil,
                headers: [("content-type", "application/json")] + headers)
            #expect(reply.status == 404)
            #expect(reply.headers["allow"].isEmpty)
            let message = "unknown endpoint: \(method) \(path); \(Self.served)"
            #expect(reply.json == Self.errorBody(dialect, status: 404, type: "not_found_error", message))
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    /// An Anthropic client asking for a model whose id has a colon (as
    /// Ollama's do) is still answered in Anthropic's shape.
    @Test func anAnthropicModelIDWithAColonIsAnsweredAsAnthropic() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.send(.GET, "/v1/models/llama3:8b")
            #expect(reply.status == 404)
            #expect(reply.json?["type"] == "error")
            #expect(reply.errorType == "not_found_error")
        }
    }
}
