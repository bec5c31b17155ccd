import Convert
import TestSupport
import Testing
import Wire

/// OpenAI, Responses and Gemini clients on routes of their own format: the
/// body goes up with only the model and caps changed, the answer comes back
/// as the upstream wrote it, keys go up in the route's header, and errors
/// reach each client in its own shape.
@Suite struct ClientDialectPassthroughTests {
    private static let clientKey = "sk-client-passthrough"

    @Test func openAIClientOnAnOpenAIRouteIsPassedThroughBothWays() async throws {
        try await ProxyHarness.run { proxy in
            let upstreamBody = try Fixtures.bytes(atPath: try Fixtures.path("providers/openai-chat/deepseek-text.json"))
            proxy.stub.reply = .json(200, String(decoding: upstreamBody, as: UTF8.self))
            let request: JSONValue = [
                "model": "gpt", "max_completion_tokens": 50, "n": 2, "logit_bias": ["50256": -100],
                "messages": [["role": "user", "content": "Hi"]],
            ]
            let reply = try await proxy.post(
                "/openai/v1/chat/completions", json: request, headers: [("authorization", "Bearer \(Self.clientKey)")])
            #expect(reply.status == 200)
            #expect(reply.body == upstreamBody)
            let sent = try #require(proxy.stub.requests.last)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.header("authorization") == "Bearer \(Self.clientKey)")
            // Key order and every field the client sent are kept; only the model changes.
            #expect(
                sent.bodyText
                    == #"{"model":"upstream-gpt","max_completion_tokens":50,"n":2,"logit_bias":{"50256":-100},"#
                    + #""messages":[{"role":"user","content":"Hi"}]}"#)
        }
    }

    @Test func openAIStreamIsRelayedFrameForFrame() async throws {
        try await ProxyHarness.run { proxy in
            let bytes = try Fixtures.sseBytes(
                chunksFile: try Fixtures.path("providers/openai-chat/deepseek-tool-call.chunks.txt"))
            proxy.stub.reply = .eventStream(splitting: bytes)
            let request: JSONValue = [
                "model": "gpt", "stream": true, "messages": [["role": "user", "content": "Weather?"]],
            ]
            let reply = try await proxy.post("/v1/chat/completions", json: request)
            #expect(reply.status == 200)
            #expect(reply.text == String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func geminiClientKeyFromTheQueryGoesUpInAHeaderAndTheModelFromThePath() async throws {
        try await ProxyHarness.run { proxy in
            let upstreamBody = try Fixtures.bytes(atPath: try Fixtures.path("providers/gemini/google-text.json"))
            proxy.stub.reply = .json(200, String(decoding: upstreamBody, as: UTF8.self))
            let request: JSONValue = [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["maxOutputTokens": 30],
            ]
            let reply = try await proxy.post(
                "/v1beta/models/gemini:generateContent?key=\(Self.clientKey)", json: request)
            #expect(reply.status == 200)
            #expect(reply.body == upstreamBody)
            let sent = try #require(proxy.stub.requests.last)
            #expect(sent.path == "/v1beta/models/gemini-2.5-flash:generateContent")
            #expect(sent.query == nil)
            #expect(sent.header("x-goog-api-key") == Self.clientKey)
            #expect(sent.bodyText == request.serializedString())
        }
    }

    @Test func geminiDefaultStreamIsOneJSONArrayOfTheUpstreamChunks() async throws {
        try await ProxyHarness.run { proxy in
            let file = try Fixtures.path("providers/gemini/google-tool-call.chunks.txt")
            proxy.stub.reply = .eventStream(splitting: try Fixtures.sseBytes(chunksFile: file))
            let request: JSONValue = ["contents": [["role": "user", "parts": [["text": "Weather?"]]]]]
            let reply = try await proxy.post(
                "/gemini/v1beta/models/gemini:streamGenerateContent", json: request,
                headers: [("x-goog-api-key", Self.clientKey)])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "content-type")?.hasPrefix("application/json") == true)
            let sent = try #require(proxy.stub.requests.last)
            #expect(sent.path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent")
            #expect(sent.query == "alt=sse")
            let expected = try Fixtures.chunkPayloads(atPath: file).map { try JSONValue(parsing: $0) }
            #expect(reply.json == .array(expected))
        }
    }

    @Test func responsesClientOnAResponsesRouteIsPassedThrough() async throws {
        try await ProxyHarness.run { proxy in
            let upstreamBody = try Fixtures.bytes(
                atPath: try Fixtures.path("providers/openai-responses/parallel-tool-call-wrapper.1.json"))
            proxy.stub.reply = .json(200, String(decoding: upstreamBody, as: UTF8.self))
            let reply = try await proxy.post(
                "/v1/responses", json: ["model": "responses", "input": "Hi", "max_output_tokens": 99999])
            #expect(reply.status == 200)
            #expect(reply.body == upstreamBody)
            #expect(proxy.stub.requests.last?.path == "/v1/responses")
            #expect(
                proxy.stub.requests.last?.bodyText == #"{"model":"gpt-5-mini","input":"Hi","max_output_tokens":99999}"#)
        }
    }

    /// A client of the route's own dialect gets the upstream's error body
    /// as it came: OpenAI's `code` and `param`, Gemini's `details` (quota
    /// and retry facts), which clients act on. A client of another dialect
    /// gets it rebuilt in its own shape.
    @Test func anUpstreamsErrorGoesAsItCameToAClientOfItsDialect() async throws {
        try await ProxyHarness.run { proxy in
            let openAIError =
                #"{"error":{"message":"too long","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#
            proxy.stub.reply = .json(400, openAIError)
            let chat: JSONValue = ["model": "gpt", "messages": [["role": "user", "content": "Hi"]]]
            let openAI = try await proxy.post("/v1/chat/completions", json: chat)
            #expect(openAI.status == 400)
            #expect(openAI.text == openAIError)
            let converted = try await proxy.post(
                "/v1beta/models/gpt:generateContent", json: ["contents": [["role": "user", "parts": [["text": "Hi"]]]]])
            #expect(converted.json?["error"]?["status"] == "INVALID_ARGUMENT")
            #expect(converted.json?["error"]?["message"]?.stringValue?.contains("too long") == true)

            let geminiError =
                #"{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"35s"}]}}"#
            proxy.stub.reply = .json(429, geminiError)
            let gemini = try await proxy.post(
                "/v1beta/models/gemini:generateContent",
                json: ["contents": [["role": "user", "parts": [["text": "Hi"]]]]])
            #expect(gemini.status == 429)
            #expect(gemini.text == geminiError)
            #expect(gemini.headers.first(name: "retry-after") == "35")
        }
    }

    /// OpenAI's `param` and `code` reach a client of the other OpenAI
    /// dialect, whose error body is rebuilt, rather than a null `param`:
    /// a Chat upstream's to a Responses client, a Responses upstream's to
    /// a Chat client, and a Chat upstream's to a Chat client whose request
    /// was converted (its schema reshaped on the stub's route, `json_object`
    /// by default for a server that is not OpenAI's).
    @Test func openAIsParamAndCodeReachEitherOpenAIClient() async throws {
        try await ProxyHarness.run { proxy in
            let upstreamError =
                #"{"error":{"message":"Unsupported value","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}"#
            proxy.stub.reply = .json(400, upstreamError)
            let chat: JSONValue = ["model": "responses", "messages": [["role": "user", "content": "Hi"]]]
            let replies = [
                try await proxy.post("/v1/responses", json: ["model": "gpt", "input": "Hi"]),
                try await proxy.post("/v1/chat/completions", json: chat),
                try await proxy.post(
                    "/v1/chat/completions",
                    json: [
                        "model": "gpt", "messages": [["role": "user", "content": "Hi"]],
                        "response_format": [
                            "type": "json_schema", "json_schema": ["name": "w", "schema": ["type": "object"]],
                        ],
                    ]),
            ]
            #expect(
                proxy.stub.requests.map(\.path) == ["/v1/chat/completions", "/v1/responses", "/v1/chat/completions"])
            let converted = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(converted["response_format"] == ["type": "json_object"])
            for reply in replies {
                #expect(reply.status == 400)
                #expect(reply.json?["error"]?["param"] == "temperature", "\(reply.text)")
                #expect(reply.json?["error"]?["code"] == "unsupported_value", "\(reply.text)")
                #expect(reply.json?["error"]?["type"] == "invalid_request_error", "\(reply.text)")
            }
        }
    }

    @Test func errorsReachEachClientInItsOwnShape() async throws {
        try await ProxyHarness.run { proxy in
            let openAI = try await proxy.post(
                "/v1/chat/completions", json: ["model": "nope", "messages": [["role": "user", "content": "Hi"]]])
            #expect(openAI.status == 404)
            // As OpenAI answers an unknown model: its SDKs and clients
            // match on `model_not_found`, a string, with a null `param`.
            #expect(openAI.json?["error"]?["type"] == "invalid_request_error")
            #expect(openAI.json?["error"]?["code"] == "model_not_found")
            #expect(openAI.json?["error"]?.objectValue?["param"] == JSONValue.null)
            #expect(openAI.json?["type"] == nil)

            let gemini = try await proxy.post(
                "/v1beta/models/nope:generateContent", json: ["contents": [["parts": [["text": "Hi"]]]]])
            #expect(gemini.status == 404)
            #expect(gemini.json?["error"]?["status"] == "NOT_FOUND")
            #expect(gemini.json?["error"]?["code"] == 404)

            let upstreamError = UpstreamBodies.openAIError("bad things")
            proxy.stub.reply = .json(400, upstreamError)
            let relayed = try await proxy.post(
                "/openai/v1/chat/completions", json: ["model": "gpt", "messages": [["role": "user", "content": "Hi"]]])
            #expect(relayed.status == 400)
            #expect(relayed.json?["error"]?["message"]?.stringValue?.contains("bad things") == true)

            let missingModel = try await proxy.post("/v1/responses", json: ["input": "Hi"])
            #expect(missingModel.status == 400)
            #expect(missingModel.json?["error"]?["message"] == "model: field required (a string)")
        }
    }

    @Test func modelListsComeInEachSDKsShape() async throws {
        try await ProxyHarness.run { proxy in
            let anthropic = try await proxy.send(.GET, "/v1/models")
            #expect(anthropic.json?["object"] == "list")
            #expect(anthropic.json?["data"]?[0]?["type"] == "model")
            #expect(anthropic.json?["data"]?[0]?["object"] == "model")
            let openAI = try await proxy.send(.GET, "/openai/v1/models")
            #expect(
                openAI.json?["data"]?[0] == ["id": "gpt", "object": "model", "created": 0, "owned_by": "switchboard"])
            let gemini = try await proxy.send(.GET, "/v1beta/models")
            #expect(gemini.json?["models"]?[0]?["name"] == "models/gpt")
        }
    }
}
