import TestSupport
import Testing
import Wire

/// Bad client input gets 400/404/413 in Anthropic's shape, naming what is
/// wrong, without reaching the upstream.
@Suite struct ClientErrorTests {
    @Test func malformedJSONNamesLineAndColumn() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(text: "{\n  \"model\": \"gpt\",\n  \"max_tokens\": ,\n}")
            #expect(reply.status == 400)
            #expect(reply.errorType == "invalid_request_error")
            #expect(reply.errorMessage?.contains("line 3, column") == true)
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    @Test(arguments: ["model", "messages", "max_tokens"])
    func missingFieldIsNamed(field: String) async throws {
        try await ProxyHarness.run { proxy in
            var request = ProxyHarness.messages()
            request[field] = nil
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 400)
            #expect(reply.errorType == "invalid_request_error")
            #expect(reply.errorMessage?.contains(field) == true)
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    @Test func wrongTypeIsNamed() async throws {
        try await ProxyHarness.run { proxy in
            var request = ProxyHarness.messages()
            request["max_tokens"] = "lots"
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 400)
            #expect(reply.errorMessage?.contains("max_tokens") == true)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await ProxyHarness.run(maxBodyBytes: 1024) { proxy in
            var request = ProxyHarness.messages()
            request["messages"] = [["role": "user", "content": .string(String(repeating: "x", count: 4096))]]
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 413)
            #expect(reply.errorType == "request_too_large")
            #expect(reply.errorMessage?.contains("--max-body-mb") == true)
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    @Test func unknownModelIs404ListingTheConfiguredIDs() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "mystery-model"))
            #expect(reply.status == 404)
            #expect(reply.errorType == "not_found_error")
            #expect(reply.errorMessage?.contains("mystery-model") == true)
            #expect(reply.errorMessage?.contains("gpt, claude, gemini, responses, down") == true)
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    @Test(arguments: [("POST", "/v2/messages"), ("GET", "/v1/messages"), ("GET", "/"), ("DELETE", "/v1/models")])
    func unknownEndpointIs404(method: String, path: String) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.send(
                .init(rawValue: method), path, body: method == "POST" ? Array("{}".utf8) : nil)
            #expect(reply.status == 404)
            #expect(reply.json?["type"] == "error")
            #expect(reply.errorType == "not_found_error")
            #expect(reply.errorMessage == "unknown endpoint: \(method) \(path)")
            #expect(reply.headers.first(name: "request-id")?.hasPrefix("req_") == true)
            try await expectStillServing(proxy)
        }
    }
}
