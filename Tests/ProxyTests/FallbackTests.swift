import Convert
import Foundation
import TestSupport
import Testing
import Wire

@testable import Proxy

/// `fallback:`: an upstream that fails before anything reached the client
/// hands the request to the next entry of the list, once each.
struct FallbackTests {
    static func yaml(_ base: String) -> String {
        """
        models:
          - {model_id: main, model_name: up-main, api_base: "\(base)/v1", format: openai, fallback: [second, backup]}
          - {model_id: second, model_name: up-second, api_base: "\(base)/v1", format: openai, fallback: [main]}
          - {model_id: backup, model_name: up-backup, api_base: "\(base)/v1", format: openai}
          - {model_id: dead, model_name: up-dead, api_base: "http://127.0.0.1:1/v1", format: openai, fallback: backup}

        """
    }

    /// The upstream models the stub was asked for, in order.
    static func upstreamModels(_ stub: StubHTTPServer) -> [String] {
        stub.requests.compactMap { (try? JSONValue(parsing: $0.body))?["model"]?.stringValue }
    }

    /// Answers each upstream model with `replies[model]`, else a completion.
    static func replying(
        _ replies: [String: StubHTTPServer.Reply]
    )
        -> @Sendable (StubHTTPServer.ReceivedRequest)
        -> StubHTTPServer.Reply
    {
        { request in
            let model = (try? JSONValue(parsing: request.body))?["model"]?.stringValue ?? ""
            return replies[model] ?? .json(200, UpstreamBodies.openAICompletion)
        }
    }

    static func failure(_ status: Int, retryAfter: String? = nil) -> StubHTTPServer.Reply {
        .json(
            status, UpstreamBodies.openAIError("busy \(status)"),
            headers: retryAfter.map { [("retry-after", $0)] } ?? [])
    }

    @Test(arguments: [429, 503, 529])
    func aFailingUpstreamFallsBackToTheNextEntry(status: Int) async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(["up-main": Self.failure(status)])
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json?["content"]?[0]?["text"] != nil, "\(reply.text)")
            #expect(Self.upstreamModels(proxy.stub) == ["up-main", "up-second"])
        }
    }

    @Test func aRefusedConnectionFallsBack() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "dead", stream: true))
            #expect(reply.text.contains("message_stop"), "\(reply.text)")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(Self.upstreamModels(proxy.stub) == ["up-backup"])
        }
    }

    @Test func eachEntryIsTriedOnceAndTheLastErrorIsReturned() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying([
                "up-main": Self.failure(429), "up-second": Self.failure(503), "up-backup": Self.failure(500),
            ])
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply.status == 500, "\(reply.text)")
            #expect(reply.errorMessage?.contains("backup") == true, "\(reply.text)")
            // `second` lists `main`, but only the first entry's list is followed.
            #expect(Self.upstreamModels(proxy.stub) == ["up-main", "up-second", "up-backup"])
        }
    }

    @Test func aClientErrorIsNotRetried() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(["up-main": Self.failure(400)])
            let reply1 = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply1.status == 400, "\(reply1.text)")
            #expect(Self.upstreamModels(proxy.stub) == ["up-main"])
        }
    }

    @Test func aStreamThatHasBegunIsNeverRetried() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            var cut = StubHTTPServer.Reply.eventStream(Array(UpstreamBodies.openAIStream.prefix(2)))
            cut.steps.append(.cut)
            proxy.stub.replyFor = Self.replying(["up-main": cut])
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "main", stream: true))
            #expect(reply.status == 200)
            #expect(reply.text.contains("event: error"), "\(reply.text)")
            #expect(Self.upstreamModels(proxy.stub) == ["up-main"])
        }
    }

    @Test func aShortRetryAfterIsWaitedAndALongOneIsNot() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(["up-main": Self.failure(429, retryAfter: "1")])
            let start = ContinuousClock.now
            let reply2 = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply2.status == 200, "\(reply2.text)")
            #expect(ContinuousClock.now - start >= .milliseconds(1000))

            proxy.stub.replyFor = Self.replying(["up-main": Self.failure(429, retryAfter: "3600")])
            let again = ContinuousClock.now
            let reply3 = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply3.status == 200, "\(reply3.text)")
            #expect(ContinuousClock.now - again < .seconds(60))
        }
        func wait(retryAfter: String? = nil, millis: String? = nil) -> Duration {
            var error = APIError(status: 429, type: "rate_limit_error", message: "slow down", retryAfter: retryAfter)
            error.retryAfterMillis = millis
            return UpstreamFallbackPolicy.wait(after: error)
        }
        #expect(wait(retryAfter: "1") == .seconds(1))
        #expect(wait(retryAfter: "0.5") == .milliseconds(500))
        #expect(wait(retryAfter: "3600") == .zero)
        // An upstream's absurd header is no wait; made a count, it trapped the whole proxy.
        #expect(wait(retryAfter: "99999999999999999999") == .zero)
        #expect(wait(retryAfter: "1e300") == .zero)
        #expect(wait(retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT") == .zero)
        // An HTTP date is the time until then: waited when near, as seconds are.
        let error = APIError(
            status: 503, type: "overloaded_error", message: "busy", retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT")
        let before = Date(timeIntervalSince1970: 1_445_412_478.5)  // 07:27:58.5
        #expect(UpstreamFallbackPolicy.wait(after: error, now: before) == .milliseconds(1500))
        #expect(UpstreamFallbackPolicy.wait(after: error, now: before - 60) == .zero)
        // `retry-after-ms` is the finer hint, and wins.
        #expect(wait(retryAfter: "1", millis: "250") == .milliseconds(250))
        #expect(wait(millis: "1500.2") == .milliseconds(1501))
        #expect(wait(retryAfter: "1", millis: "60000") == .zero)
        #expect(wait(millis: "1e300") == .zero)
    }

    @Test func theAccessLineNamesTheEntryThatAnswered() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(configYAML: Self.yaml, logger: log.logger()) { proxy in
            proxy.stub.replyFor = Self.replying(["up-main": Self.failure(429)])
            let reply4 = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply4.status == 200, "\(reply4.text)")
            let line = log.messages.map(\.message).first { $0.hasPrefix("POST /v1/messages") }
            #expect(line?.contains("main -> second (after main 429) 200") == true, "\(line ?? "none")")
        }
    }

    /// Every attempt given up is named, in order, and one that got no
    /// answer in time says so (it said "unreachable").
    @Test func theAccessLineNamesEveryAttemptGivenUp() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(configYAML: Self.yaml, logger: log.logger()) { proxy in
            proxy.stub.replyFor = Self.replying(["up-main": Self.failure(429), "up-second": Self.failure(500)])
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply.status == 200, "\(reply.text)")
            let line = log.messages.map(\.message).first { $0.hasPrefix("POST /v1/messages") }
            #expect(line?.contains("main -> backup (after main 429, second 500) 200") == true, "\(line ?? "none")")
        }
        let timedOut = UpstreamFallback(
            from: "slow", status: nil, timedOut: true, reason: "timed out", waitedMillis: 0, earlierLegs: [])
        #expect(timedOut.summary == "after slow timed out")
        let refused = UpstreamFallback(
            from: "dead", status: nil, timedOut: false, reason: "refused", waitedMillis: 0,
            earlierLegs: ["slow timed out"])
        #expect(refused.summary == "after slow timed out, dead unreachable")
    }

    @Test func unknownOrSelfFallbacksAreConfigErrorsWithTheirLine() throws {
        let unknown = """
            models:
              - model_id: main
                model_name: m
                api_base: http://127.0.0.1:1/v1
                format: openai
                fallback: [nope]
            """
        let failure = try #require(Self.configError(unknown))
        #expect(failure.line == 6, "\(failure)")
        #expect(failure.description.contains("`fallback` names model_id `nope`"), "\(failure)")
        let itself = try #require(Self.configError(unknown.replacingOccurrences(of: "[nope]", with: "[main]")))
        #expect(itself.description.contains("names the entry itself"), "\(itself)")
    }

    @Test func configCheckAndRouteNameTheFallbacks() throws {
        let router = ModelRouter(config: try ProxyConfig.parse(yaml: Self.yaml("http://127.0.0.1:1"), file: "m.yaml"))
        let table = RoutingTable(config: router.config).render()
        #expect(table.contains("  main -> second, backup"), "\(table)")
        let text = router.explain(model: "main").description
        #expect(text.contains("Fallbacks: `second`, `backup`, in turn"), "\(text)")
        let printed = EffectiveConfigPrinter().render(router.config)
        #expect(
            try ProxyConfig.parse(yaml: printed, file: "p.yaml").model(id: "main")?.fallback == ["second", "backup"])
    }

    static func configError(_ yaml: String) -> ConfigError? {
        do {
            _ = try ProxyConfig.parse(yaml: yaml, file: "models.yaml")
            return nil
        } catch {
            return error
        }
    }
}
