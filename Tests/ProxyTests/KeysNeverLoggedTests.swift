import TestSupport
import Testing
import Wire

/// README, Keys: "Keys never reach a log." Checked at the most verbose
/// level, where the most is logged, for every way a key arrives: the
/// client's headers, a Gemini `?key=`, and a route's own `api_key`.
@Suite struct KeysNeverLoggedTests {
    private static let clientKey = "sk-ant-api03-LOGCANARY-4f1e2d3c"
    private static let routeKey = "sk-route-LOGCANARY-9a8b7c6d"

    @Test func noKeyTextInAnyLogLineAtTrace() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(logger: log.logger(level: .trace)) { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream)
            let streamed = try await proxy.post(
                json: ProxyHarness.messages(stream: true), headers: [("x-api-key", Self.clientKey)])
            #expect(streamed.status == 200)
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let bearer = try await proxy.post(
                json: ProxyHarness.messages(model: "claude"), headers: [("authorization", "Bearer \(Self.clientKey)")])
            #expect(bearer.status == 200)
            proxy.stub.reply = .json(401, UpstreamBodies.openAIError("bad key"))
            let rejected = try await proxy.post(json: ProxyHarness.messages(), headers: [("x-api-key", Self.clientKey)])
            #expect(rejected.status == 401)
            let gemini: JSONValue = ["contents": [["role": "user", "parts": [["text": "hi"]]]]]
            _ = try await proxy.post("/v1beta/models/gpt:generateContent?key=\(Self.clientKey)", json: gemini)
            _ = try await proxy.post("/v2/unknown?key=\(Self.clientKey)", json: gemini)
            // The key really travelled: there was one to leak.
            #expect(proxy.stub.requests.first?.header("authorization") == "Bearer \(Self.clientKey)")
        }
        try await ProxyHarness.run(apiKey: Self.routeKey, logger: log.logger(level: .trace)) { proxy in
            // Quoted back by the upstream, the key is still no log's.
            proxy.stub.reply = .json(500, UpstreamBodies.openAIError("boom with key \(Self.routeKey)"))
            _ = try await proxy.post(json: ProxyHarness.messages())
            #expect(proxy.stub.requests.first?.header("authorization") == "Bearer \(Self.routeKey)")
        }
        let lines = log.messages.map { entry in
            ([entry.message] + entry.metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
        #expect(lines.count >= 5, "the proxy logged too little to prove anything: \(lines)")
        for line in lines {
            #expect(!line.contains("LOGCANARY"), "a key reached the log: \(line)")
        }
    }
}
