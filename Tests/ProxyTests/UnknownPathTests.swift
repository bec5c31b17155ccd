import TestSupport
import Testing

/// README, Endpoints: "anything else: 404 `not_found_error`, and a warning
/// naming the method and path".
@Suite struct UnknownPathTests {
    @Test func anUnknownPathIs404AndAWarningNamingMethodAndPath() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(logger: log.logger(level: .trace)) { proxy in
            let get = try await proxy.send(.GET, "/v2/nothing-here")
            #expect(get.status == 404)
            #expect(get.errorType == "not_found_error", "\(get.text)")
            let post = try await proxy.post("/v1/messagez", json: ProxyHarness.messages())
            #expect(post.status == 404)
            #expect(post.errorType == "not_found_error", "\(post.text)")
            #expect(proxy.stub.requests.isEmpty)
        }
        let warnings = log.messages.filter { $0.level == .warning }.map(\.message)
        #expect(warnings.contains { $0.contains("GET /v2/nothing-here") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("POST /v1/messagez") }, "\(warnings)")
    }

    @Test func aKnownPathGetsNoSuchWarning() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(logger: log.logger(level: .trace)) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let plain = try await proxy.post(json: ProxyHarness.messages())
            #expect(plain.status == 200)
        }
        #expect(log.messages.filter { $0.level >= .warning }.isEmpty, "\(log.messages.map(\.message))")
    }
}
