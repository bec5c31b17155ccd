import TestSupport
import Testing
import Wire

/// One client connection carries many requests: kept alive for a thousand
/// in turn, or pipelined, several written before the first is answered.
@Suite struct ConnectionReuseTests {
    private static let countTokens =
        ["model": "gpt", "messages": [["role": "user", "content": "Say hello"]]]
        as JSONValue

    @Test func oneConnectionCarriesAThousandRequests() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            var failures: [String] = []
            try await RawClientConnection.with(port: proxy.port, limit: .seconds(300)) { connection in
                for index in 0..<1000 {
                    // Every 100th goes to the upstream; the rest are answered
                    // by the proxy itself (a local token count).
                    let upstream = index % 100 == 0
                    let request =
                        upstream
                        ? RawClientConnection.request(
                            "POST", "/v1/messages", body: ProxyHarness.messages().serializedString())
                        : RawClientConnection.request(
                            "POST", "/v1/messages/count_tokens", body: Self.countTokens.serializedString())
                    try await connection.write(request)
                    guard let response = try await connection.readResponse() else {
                        failures.append("\(index): connection closed")
                        return
                    }
                    let json = try? JSONValue(parsing: response.body)
                    let ok =
                        response.status == 200 && (upstream ? json?["type"] == "message" : json?["input_tokens"] != nil)
                    if !ok { failures.append("\(index): \(response.status) \(response.text)") }
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(5))")
            #expect(proxy.stub.requests.count == 10)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            try await RawClientConnection.with(port: proxy.port) { connection in
                // Three requests in one write, the slowest (to the upstream) first.
                try await connection.write(
                    RawClientConnection.request(
                        "POST", "/v1/messages", body: ProxyHarness.messages().serializedString())
                        + RawClientConnection.request("GET", "/v1/models/claude")
                        + RawClientConnection.request(
                            "POST", "/v1/messages/count_tokens", body: Self.countTokens.serializedString()))
                var answers: [JSONValue?] = []
                for _ in 0..<3 {
                    let response = try #require(try await connection.readResponse())
                    #expect(response.status == 200, "\(response.text)")
                    answers.append(try? JSONValue(parsing: response.body))
                }
                #expect(answers[0]?["type"] == "message")
                #expect(answers[1]?["id"] == "claude")
                #expect(answers[2]?["input_tokens"] != nil)
            }
            try await expectStillServing(proxy)
        }
    }
}
