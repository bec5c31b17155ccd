import TestSupport
import Testing
import Wire

/// The exchange id reaches each client under the name its SDK reads:
/// `request-id` for every one, `x-request-id` too for OpenAI's (its SDKs
/// read only that), on answers, errors and streams alike.
@Suite struct RequestIDHeaderTests {
    enum Answer: String, CaseIterable { case success, error, stream }

    /// Sends one request of `kind`: a whole answer, an unknown model's 404,
    /// or a stream, from a client of the endpoint at `path`.
    private static func send(_ answer: Answer, path: String, proxy: ProxyHarness) async throws -> ProxyHarness.Reply {
        let stream = answer == .stream
        proxy.stub.reply =
            stream ? .eventStream(UpstreamBodies.openAIStream) : .json(200, UpstreamBodies.openAICompletion)
        let model: JSONValue = answer == .error ? "mystery-model" : "gpt"
        switch path {
        case "/v1/messages":
            return try await proxy.post(json: ProxyHarness.messages(model: model.stringValue ?? "", stream: stream))
        case "/v1/responses":
            return try await proxy.post(path, json: ["model": model, "input": "Hi", "stream": .bool(stream)])
        default:
            return try await proxy.post(
                path, json: ["model": model, "messages": [["role": "user", "content": "Hi"]], "stream": .bool(stream)])
        }
    }

    @Test(arguments: ["/v1/chat/completions", "/v1/responses"], Answer.allCases)
    func openAIClientsGetXRequestID(path: String, answer: Answer) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await Self.send(answer, path: path, proxy: proxy)
            #expect(reply.status == (answer == .error ? 404 : 200), "\(reply.text)")
            let id = try #require(reply.headers.first(name: "request-id"))
            #expect(id.hasPrefix("req_"))
            #expect(reply.headers["x-request-id"] == [id])
        }
    }

    @Test(arguments: Answer.allCases)
    func anthropicClientsGetRequestIDOnly(answer: Answer) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await Self.send(answer, path: "/v1/messages", proxy: proxy)
            #expect(reply.status == (answer == .error ? 404 : 200), "\(reply.text)")
            #expect(reply.headers.first(name: "request-id")?.hasPrefix("req_") == true)
            #expect(!reply.headers.contains(name: "x-request-id"))
        }
    }
}
