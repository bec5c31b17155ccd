import Foundation
import TestSupport
import Testing
import Wire

@testable import Proxy

/// An upstream that answers 200 and then sends an error as its stream's
/// first event is given up for the route's `fallback:` entry, as a 529 or
/// 5xx status is: nothing had reached the client yet.
struct FirstEventFallbackTests {
    static func yaml(_ base: String) -> String {
        """
        models:
          - {model_id: claude-main, model_name: up-claude, api_base: "\(base)", format: anthropic, fallback: [backup]}
          - {model_id: gpt-main, model_name: up-gpt, api_base: "\(base)/v1", format: openai, fallback: [backup]}
          - {model_id: gemini-main, model_name: up-gemini, api_base: "\(base)/v1beta", format: gemini,
             fallback: [backup]}
          - {model_id: backup, model_name: up-backup, api_base: "\(base)/v1", format: openai}

        """
    }

    static let anthropicOverloaded =
        "event: error\n"
        + #"data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"# + "\n\n"

    /// OpenRouter's: a comment while it waits, then the error as the first data line.
    static func openAIError(type: String, code: String = "null") -> [String] {
        [
            ": OPENROUTER PROCESSING\n\n",
            #"data: {"error":{"message":"provider said \#(type)","type":"\#(type)","code":\#(code)}}"# + "\n\n",
        ]
    }

    static let geminiUnavailable =
        #"data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"# + "\r\n\r\n"

    /// The upstream each request went to: its body's model, or Gemini's in its path.
    static func upstreams(_ stub: StubHTTPServer) -> [String] {
        stub.requests.map { request in
            (try? JSONValue(parsing: request.body))?["model"]?.stringValue
                ?? (request.path.contains("up-gemini") ? "up-gemini" : request.path)
        }
    }

    /// The backup streams a completion; `first` answers the route tried first.
    static func replying(
        first: StubHTTPServer.Reply
    ) -> @Sendable (StubHTTPServer.ReceivedRequest) -> StubHTTPServer.Reply {
        { request in
            (try? JSONValue(parsing: request.body))?["model"]?.stringValue == "up-backup"
                ? .eventStream(UpstreamBodies.openAIStream) : first
        }
    }

    static func chat(model: String) -> JSONValue {
        ["model": .string(model), "stream": true, "messages": [["role": "user", "content": "Say hello"]]]
    }

    @Test func anAnthropicErrorEventFirstFallsBackAndIsRecordedAsGivenUp() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        try await ProxyHarness.run(recording: cassette.recording, configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(first: .eventStream([Self.anthropicOverloaded]))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude-main", stream: true))
            #expect(reply.status == 200, "\(reply.text)")
            // Only the fallback's answer: one message, whole, no error.
            let events = sseFrames(reply.text).compactMap(\.event)
            #expect(events.filter { $0 == "message_start" }.count == 1, "\(reply.text)")
            #expect(events.last == "message_stop", "\(reply.text)")
            #expect(!events.contains("error"), "\(reply.text)")
            #expect(reply.text.contains("Hel"), "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-claude", "up-backup"])
        }
        let lines = try #require(cassette.exchanges().values.first)
        let routes = lines.filter { $0.kind == "route" }
        #expect(routes.map { $0["model_id"]?.stringValue } == ["claude-main", "backup"])
        #expect(routes.last?["fallback"]?["from"]?.stringValue == "claude-main")
        #expect(routes.last?["fallback"]?["status"]?.intValue == 529)
        #expect(lines.contains { $0.kind == "diagnostic" && $0["path"]?.stringValue == "fallback" })
        // The attempt given up is recorded with what it sent; the client saw none of it.
        let chunks = lines.filter { $0.kind == "upstream_chunk" }.compactMap { $0["text"]?.stringValue }
        #expect(chunks.first?.contains("overloaded_error") == true, "\(chunks)")
        let clientEvents = lines.filter { $0.kind == "client_event" }.compactMap { $0["event"]?.stringValue }
        #expect(!clientEvents.contains("error"), "\(clientEvents)")
        #expect(lines.filter { $0.kind == "client_response" }.count == 1)
        #expect(lines.last { $0.kind == "end" }?["outcome"]?.stringValue == "ok")
    }

    @Test(arguments: [("server_error", "null"), ("rate_limit_exceeded", "429"), ("error", "502")])
    func anOpenAIErrorFirstFallsBack(type: String, code: String) async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(configYAML: Self.yaml, logger: log.logger()) { proxy in
            proxy.stub.replyFor = Self.replying(first: .eventStream(Self.openAIError(type: type, code: code)))
            // An Anthropic client (converted) and an OpenAI one (passed through).
            let converted = try await proxy.post(json: ProxyHarness.messages(model: "gpt-main", stream: true))
            #expect(converted.status == 200, "\(converted.text)")
            #expect(!converted.text.contains("event: error"), "\(converted.text)")
            #expect(converted.text.contains("message_stop"), "\(converted.text)")
            let passed = try await proxy.post("/v1/chat/completions", json: Self.chat(model: "gpt-main"))
            #expect(passed.status == 200, "\(passed.text)")
            #expect(!passed.text.contains("provider said"), "\(passed.text)")
            #expect(passed.text.contains("[DONE]"), "\(passed.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gpt", "up-backup", "up-gpt", "up-backup"])
            let status = code == "null" ? "500" : code
            let line = log.messages.map(\.message).first { $0.hasPrefix("POST /v1/messages") }
            #expect(line?.contains("gpt-main -> backup (after gpt-main \(status)) 200") == true, "\(line ?? "none")")
        }
    }

    @Test func theAttemptGivenUpIsCountedAsAFallback() async throws {
        try await MetricsOutcomeTests.withProxy { server, proxy in
            proxy.stub.replyFor = { request in
                (try? JSONValue(parsing: request.body))?["model"]?.stringValue == "up-main"
                    ? .eventStream(Self.openAIError(type: "server_error")) : .eventStream(UpstreamBodies.openAIStream)
            }
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "main", stream: true))
            #expect(reply.text.contains("message_stop"), "\(reply.text)")
            let fallbacks = MetricsOutcomeTests.samples(server, "switchboard_fallbacks_total")
            #expect(fallbacks[#"switchboard_fallbacks_total{route="main",upstream_format="openai"}"#] == "1")
            let routes = server.metrics.usage.json["routes"]
            #expect(routes?["main"]?["fallbacks"] == 1)
            #expect(routes?["main"]?["errors"] == 0)
            #expect(routes?["second"]?["requests"] == 1)
            #expect(routes?["second"]?["errors"] == 0)
        }
    }

    @Test func aGeminiErrorFirstFallsBack() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(first: .eventStream([Self.geminiUnavailable]))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gemini-main", stream: true))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(!reply.text.contains("event: error"), "\(reply.text)")
            #expect(reply.text.contains("message_stop"), "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gemini", "up-backup"])
        }
    }

    /// An upstream that says 200 and then nothing (an empty stream) failed
    /// before anything reached the client: the next entry answers.
    @Test func anEmptyStreamFallsBack() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(first: .eventStream([]))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude-main", stream: true))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(sseFrames(reply.text).compactMap(\.event).last == "message_stop", "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-claude", "up-backup"])
        }
    }

    /// The route's `max_stream_duration` holds while the head waits: an
    /// upstream that only sends comments (OpenRouter's while it queues)
    /// does not hold the client past it, and the next entry answers.
    @Test func commentsPastTheStreamsDurationFallBack() async throws {
        let yaml: (String) -> String = { base in
            """
            models:
              - {model_id: gpt-main, model_name: up-gpt, api_base: "\(base)/v1", format: openai, fallback: [backup],
                 max_stream_duration: 1s}
              - {model_id: backup, model_name: up-backup, api_base: "\(base)/v1", format: openai}

            """
        }
        try await ProxyHarness.run(configYAML: yaml) { proxy in
            proxy.stub.replyFor = Self.replying(
                first: .eventStream(
                    Array(repeating: ": OPENROUTER PROCESSING\n\n", count: 8), delay: .milliseconds(300)))
            let started = ContinuousClock.now
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt-main", stream: true))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(sseFrames(reply.text).compactMap(\.event).last == "message_stop", "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gpt", "up-backup"])
            #expect(ContinuousClock.now - started < .seconds(2.2))
        }
    }

    /// Anthropic answers 200, sends `message_start`, then says it is
    /// overloaded; a Chat server may send a role-only chunk first. Those
    /// only open the answer: nothing the client could use has come, and the
    /// next entry answers.
    @Test func anErrorAfterTheAnswersOpeningFallsBack() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            let anthropic = UpstreamBodies.anthropicStream(before: "content_block_start") + Self.anthropicOverloaded
            proxy.stub.replyFor = Self.replying(first: .eventStream([anthropic]))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "claude-main", stream: true))
            let events = sseFrames(reply.text).compactMap(\.event)
            #expect(events.filter { $0 == "message_start" }.count == 1, "\(reply.text)")
            #expect(events.last == "message_stop" && !events.contains("error"), "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-claude", "up-backup"])

            let chat = [UpstreamBodies.openAIStream[0]] + Self.openAIError(type: "server_error")
            proxy.stub.replyFor = Self.replying(first: .eventStream(chat))
            let fromChat = try await proxy.post(json: ProxyHarness.messages(model: "gpt-main", stream: true))
            #expect(sseFrames(fromChat.text).compactMap(\.event).last == "message_stop", "\(fromChat.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-claude", "up-backup", "up-gpt", "up-backup"])
        }
    }

    @Test func anErrorAfterARealFirstEventGoesToTheClient() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            let late = Array(UpstreamBodies.openAIStream[0...1]) + Self.openAIError(type: "server_error")
            proxy.stub.replyFor = Self.replying(first: .eventStream(late))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt-main", stream: true))
            #expect(reply.status == 200)
            let events = sseFrames(reply.text).compactMap(\.event)
            #expect(events.first == "message_start", "\(reply.text)")
            #expect(events.last == "error", "\(reply.text)")
            #expect(reply.text.contains("provider said server_error"), "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gpt"])

            let anthropicLate = UpstreamBodies.anthropicStream(before: "content_block_delta") + Self.anthropicOverloaded
            proxy.stub.replyFor = Self.replying(first: .eventStream([anthropicLate]))
            let relayed = try await proxy.post(json: ProxyHarness.messages(model: "claude-main", stream: true))
            #expect(
                sseFrames(relayed.text).compactMap(\.event) == [
                    "message_start", "content_block_start", "ping", "error",
                ],
                "\(relayed.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gpt", "up-claude"])
        }
    }

    @Test func anInvalidRequestErrorFirstIsTheClientsAndNotRetried() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(first: .eventStream(Self.openAIError(type: "invalid_request_error")))
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "gpt-main", stream: true))
            #expect(reply.status == 200)
            #expect(reply.text.contains("event: error"), "\(reply.text)")
            #expect(reply.text.contains("invalid_request_error"), "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gpt"])

            let invalid =
                "event: error\n"
                + #"data: {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long"}}"#
                + "\n\n"
            proxy.stub.replyFor = Self.replying(first: .eventStream([invalid]))
            let relayed = try await proxy.post(json: ProxyHarness.messages(model: "claude-main", stream: true))
            #expect(relayed.text.contains("prompt is too long"), "\(relayed.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gpt", "up-claude"])
        }
    }

    /// What reads ahead for the first event leaves the stream as it was:
    /// a good answer split into small pieces reaches the client whole.
    @Test func aGoodStreamReadAheadIsRelayedWhole() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.replyFor = Self.replying(
                first: .eventStream(splitting: Array(UpstreamBodies.openAIStream.joined().utf8), maxPiece: 5))
            let reply = try await proxy.post("/v1/chat/completions", json: Self.chat(model: "gpt-main"))
            #expect(reply.status == 200)
            #expect(reply.text == UpstreamBodies.openAIStream.joined(), "\(reply.text)")
            #expect(Self.upstreams(proxy.stub) == ["up-gpt"])
        }
    }
}
