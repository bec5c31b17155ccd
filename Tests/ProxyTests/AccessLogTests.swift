import Logging
import TestSupport
import Testing
import Wire

/// One `info` line per exchange, recording or not: what the client asked,
/// where it went, how it ended, how long it took, and its tokens.
struct AccessLogTests {
    /// The access lines among everything logged.
    private static func accessLines(_ log: CapturedLog) -> [CapturedLog.Entry] {
        log.messages.filter { $0.level >= .info && ($0.message.hasPrefix("POST ") || $0.message.hasPrefix("GET ")) }
    }

    @Test func aStreamedExchangeLogsOneLineWithRouteStatusTimesAndTokens() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(logger: log.logger()) { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream)
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude-3-5-haiku", stream: true))
            #expect(reply.status == 200)
            let lines = Self.accessLines(log)
            try #require(lines.count == 1, "\(log.messages.map(\.message))")
            let line = lines[0]
            #expect(
                line.message.wholeMatch(
                    of:
                        /POST \/v1\/messages anthropic claude-3-5-haiku -> gpt 200 in [0-9.]+ ms \(first byte [0-9.]+ ms\), tokens in 5 out 2/
                ) != nil, "\(line.message)")
            #expect(line.metadata["request_id"] == reply.headers.first(name: "request-id"))
        }
    }

    @Test func errorsAndOtherDialectsAreLoggedToo() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(logger: log.logger()) { proxy in
            let unknown = try await proxy.post(json: ProxyHarness.messages(model: "no-such-model"))
            #expect(unknown.status == 404)
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let chat: JSONValue = ["model": "gpt", "messages": [["role": "user", "content": "hi"]]]
            let reply = try await proxy.post("/v1/chat/completions", json: chat)
            #expect(reply.status == 200)
            let lines = Self.accessLines(log).map(\.message)
            try #require(lines.count == 2, "\(log.messages.map(\.message))")
            #expect(lines[0].hasPrefix("POST /v1/messages anthropic no-such-model 404 in "), "\(lines[0])")
            #expect(lines[0].contains(": not_found_error: model `no-such-model` is not configured"), "\(lines[0])")
            #expect(lines[1].hasPrefix("POST /v1/chat/completions openai gpt -> gpt 200 in "), "\(lines[1])")
            #expect(lines[1].hasSuffix(", tokens in 5 out 2"), "\(lines[1])")
        }
    }

    @Test func aStreamCutByTheUpstreamIsAWarningSayingWhy() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(logger: log.logger()) { proxy in
            var stub = StubHTTPServer.Reply.eventStream(Array(UpstreamBodies.openAIStream.prefix(2)))
            stub.steps.append(.cut)
            proxy.stub.reply = stub
            let reply = try await proxy.post(json: ProxyHarness.messages(stream: true))
            #expect(reply.status == 200)
            let lines = Self.accessLines(log)
            try #require(lines.count == 1, "\(log.messages.map(\.message))")
            #expect(lines[0].level == .warning)
            #expect(lines[0].message.hasPrefix("POST /v1/messages anthropic gpt -> gpt 200 in "), "\(lines[0].message)")
            #expect(lines[0].message.contains(": api_error: upstream gpt"), "\(lines[0].message)")
        }
    }
}
