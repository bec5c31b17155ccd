import Logging
import TestSupport
import Testing
import Wire

@testable import Proxy

/// What `/metrics` and `/v1/stats` say of exchanges that did not simply
/// succeed: a stream that failed after its 200 head, and an attempt given up
/// for a fallback (the exchange ends on another route).
struct MetricsOutcomeTests {
    /// Runs `body` with a proxy whose routes are `FallbackTests.yaml`'s.
    static func withProxy(
        _ body: (ProxyServer, ProxyHarness) async throws -> Void
    ) async throws {
        try await StubHTTPServer.withRunning { stub in
            var logger = Logger(label: "metrics-outcome")
            logger.logLevel = .critical
            let server = ProxyServer(
                config: try ProxyConfig.parse(yaml: FallbackTests.yaml(stub.baseURL), file: "test.yaml"),
                options: .init(host: "127.0.0.1", port: 0), logger: logger)
            try await server.withRunning { port in
                try await body(server, ProxyHarness(port: port, stub: stub))
            }
        }
    }

    /// The samples of `name` in the exposition, by their label text.
    static func samples(_ server: ProxyServer, _ name: String) -> [String: String] {
        var found: [String: String] = [:]
        for line in String(decoding: server.metrics.exposition(), as: UTF8.self).split(separator: "\n")
        where line.hasPrefix(name + "{") {
            guard let space = line.lastIndex(of: " ") else { continue }
            found[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return found
    }

    /// Model lists are not generations: neither `/metrics` nor `/v1/stats`
    /// counts them, while the generation after them is.
    @Test func modelListsAreNotCounted() async throws {
        try await Self.withProxy { server, proxy in
            for path in ["/v1/models", "/v1/models/main", "/v1beta/models", "/v1beta/models/main", "/openai/v1/models"]
            {
                let reply = try await proxy.send(.GET, path)
                #expect(reply.status == 200, "\(path): \(reply.text)")
            }
            #expect(Self.samples(server, "switchboard_requests_total").isEmpty)
            #expect(server.metrics.usage.json["total"]?["requests"] == 0)
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "backup"))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(Self.samples(server, "switchboard_requests_total").count == 1)
            #expect(server.metrics.usage.json["total"]?["requests"] == 1)
        }
    }

    @Test func aStreamThatFailsAfterItsHeadIsAnErrorWithStatus200() async throws {
        try await Self.withProxy { server, proxy in
            proxy.stub.reply = Reply(
                status: 200, headers: [("content-type", "text/event-stream")],
                steps: [.bytes(Array(UpstreamBodies.openAIStream[0].utf8)), .cut])
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "backup", stream: true))
            #expect(reply.status == 200)
            #expect(reply.text.contains("event: error"), "\(reply.text)")
            let requests = Self.samples(server, "switchboard_requests_total")
            let failed = requests.filter { $0.key.contains(#"route="backup""#) }
            #expect(failed.count == 1, "\(requests)")
            #expect(failed.first?.key.contains(#"status="200""#) == true)
            #expect(failed.first?.key.contains(#"outcome="error""#) == true)
            #expect(server.metrics.usage.json["routes"]?["backup"]?["errors"] == 1)
        }
    }

    @Test func anAttemptGivenUpForAFallbackIsCountedOnItsRoute() async throws {
        try await Self.withProxy { server, proxy in
            proxy.stub.replyFor = FallbackTests.replying(["up-main": FallbackTests.failure(503)])
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply.status == 200, "\(reply.text)")
            // Every route used has the counter; only `main` gave up.
            let fallbacks = Self.samples(server, "switchboard_fallbacks_total")
            #expect(
                fallbacks.filter { $0.value != "0" }.map(\.key) == [
                    #"switchboard_fallbacks_total{route="main",upstream_format="openai"}"#
                ], "\(fallbacks)")
            #expect(fallbacks.filter { $0.key.contains(#"route="main""#) }.first?.value == "1")
            let routes = server.metrics.usage.json["routes"]
            #expect(routes?["main"]?["fallbacks"] == 1)
            #expect(routes?["main"]?["requests"] == 0)
            #expect(routes?["second"]?["requests"] == 1)
            #expect(routes?["second"]?["errors"] == 0)
        }
    }

    /// Claude Code counts a request's tokens before it sends it: the count
    /// (answered here by a local estimate, the route being OpenAI's) is
    /// counted apart, so the route shows the one request it served, not two.
    @Test func aTokenCountIsCountedApartFromItsRoutesRequests() async throws {
        try await Self.withProxy { server, proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let count = try await proxy.post(
                "/v1/messages/count_tokens", json: ["model": "main", "messages": [["role": "user", "content": "Hi"]]])
            #expect(count.status == 200, "\(count.text)")
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "main"))
            #expect(reply.status == 200, "\(reply.text)")

            let requests = Self.samples(server, "switchboard_requests_total")
            #expect(requests.filter { $0.key.contains(#"route="main""#) }.map(\.value) == ["1"], "\(requests)")
            let counts = Self.samples(server, "switchboard_count_tokens_requests_total")
            #expect(counts.count == 1, "\(counts)")
            #expect(counts.first?.value == "1")
            for label in [#"client_dialect="anthropic""#, #"route="main""#, #"status="200""#, #"outcome="ok""#] {
                #expect(counts.first?.key.contains(label) == true, "\(counts)")
            }
            let stats = server.metrics.usage.json
            #expect(stats["routes"]?["main"]?["requests"] == 1, "\(stats)")
            #expect(stats["routes"]?["main"]?["count_tokens_requests"] == 1, "\(stats)")
            #expect(stats["total"]?["requests"] == 1)
            #expect(stats["total"]?["count_tokens_requests"] == 1)
        }
    }

    private typealias Reply = StubHTTPServer.Reply
}
