import Foundation
import Proxy
import Replay
import TestSupport
import Testing
import Wire

/// The demo in-process, wired as `proxy serve --demo` wires it: the demo stub
/// upstream (`StubUpstream.demo`) on port 0, and a proxy with
/// `DemoConfig.make(upstreamPort:)` in front of it.
@Suite struct DemoServerTests {
    static func withDemo<T: Sendable>(
        recording: ExchangeRecording? = nil, _ body: (_ proxyPort: Int) async throws -> T
    ) async throws -> T {
        let stub = try StubUpstream.demo(speed: 0)
        return try await stub.withRunning { upstreamPort in
            let proxy = ProxyServer(
                config: DemoConfig.make(upstreamPort: upstreamPort), options: .init(port: 0), recording: recording)
            return try await proxy.withRunning(body)
        }
    }

    @Test func anyStreamedQuestionGetsTheRecordedAnswerAsAValidAnthropicStream() async throws {
        let reply = try await Self.withDemo { port in
            try await DemoSupport.postMessages(port: port, body: DemoSupport.arbitraryRequest(stream: true))
        }
        #expect(reply.status == 200)
        #expect(reply.requestID?.hasPrefix("req_") == true)
        #expect(AnthropicStreamChecker.violations(in: reply.events) == [])
        #expect(reply.streamedText == (try DemoSupport.recordedStreamedText()))
        let start = try JSONValue(parsing: Array(try #require(reply.events.first).data.utf8))
        #expect(start["message"]?["model"] == "claude-opus-4-1-20250805")
        let delta = try #require(reply.events.first { $0.event == "message_delta" })
        let usage = try JSONValue(parsing: Array(delta.data.utf8))["usage"]
        #expect(usage?["output_tokens"]?.intValue ?? 0 > 0)
    }

    @Test func anyWholeQuestionGetsTheRecordedMessage() async throws {
        let reply = try await Self.withDemo { port in
            try await DemoSupport.postMessages(port: port, body: DemoSupport.arbitraryRequest(stream: false))
        }
        #expect(reply.status == 200)
        #expect(reply.requestID?.hasPrefix("req_") == true)
        let message = try JSONValue(parsing: reply.body)
        #expect(message["type"] == "message")
        #expect(message["role"] == "assistant")
        #expect(message["model"] == "claude-opus-4-1-20250805")
        #expect(message["stop_reason"] == "end_turn")
        #expect(message["content"]?[0]?["text"]?.stringValue == (try DemoSupport.recordedMessageText()))
    }

    /// `--record` works in demo mode: the exchange lands in a cassette, the
    /// demo key only as a fingerprint.
    @Test func recordingTheDemoWritesTheExchangeWithoutTheKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "demo-record-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try ExchangeRecording(directory: directory)
        let reply = try await Self.withDemo(recording: recording) { port in
            try await DemoSupport.postMessages(port: port, body: DemoSupport.arbitraryRequest(stream: true))
        }
        let set = try CassetteLoader.load(paths: [directory])
        let exchange = try #require(set.exchanges.first)
        #expect(set.exchanges.count == 1)
        #expect(exchange.id == reply.requestID)
        #expect(exchange.route?["model_id"]?.stringValue == DemoConfig.modelID)
        #expect(!exchange.events.map { $0.json.serializedString() }.joined().contains(DemoConfig.apiKey))
        let authorization = exchange.upstreamRequest?["headers"]?["authorization"]?.stringValue
        #expect(authorization?.hasPrefix("Bearer [redacted:") == true)
    }
}
