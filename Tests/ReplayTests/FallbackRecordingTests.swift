import AsyncHTTPClient
import Cassette
import Foundation
import Logging
import NIOCore
import Proxy
import Replay
import TestSupport
import Testing
import Wire

/// Scenario routes and fallback attempts are recorded so a cassette says
/// why each leg went where it did, and `log-replay verify` replays them.
@Suite struct FallbackRecordingTests {
    static let completion = """
        {"id":"c1","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,"message":\
        {"role":"assistant","content":"Hello."},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
        """
    static let stream = [
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}"#
            + "\n\n",
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"content":"lo."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#
            + "\n\ndata: [DONE]\n\n",
    ]

    @Test func everyAttemptIsItsOwnLegAndVerifies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-fallback-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let requests: [(path: String, body: JSONValue)] = [
            // think -> reasoner, which fails over to backup.
            (
                "/v1/messages",
                [
                    "model": "claude-sonnet-4-5", "max_tokens": 2000,
                    "thinking": ["type": "enabled", "budget_tokens": 1024],
                    "messages": [["role": "user", "content": "Think."]],
                ]
            ),
            // main: 429 then second (streamed).
            (
                "/v1/messages",
                ["model": "main", "max_tokens": 100, "stream": true, "messages": [["role": "user", "content": "Hi"]]]
            ),
            // dead: connection refused, then backup; an OpenAI client.
            ("/v1/chat/completions", ["model": "dead", "messages": [["role": "user", "content": "Hi"]]]),
        ]
        try await StubHTTPServer.withRunning { stub in
            stub.replyFor = { request in
                let json = try? JSONValue(parsing: request.body)
                let streams = json?["stream"]?.boolValue == true
                switch json?["model"]?.stringValue {
                case "up-main":
                    return .json(429, #"{"error":{"message":"slow down","type":"rate_limit"}}"#)
                case "up-reasoner":
                    return .json(529, #"{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"#)
                default:
                    return streams ? .eventStream(Self.stream) : .json(200, Self.completion)
                }
            }
            let base = stub.baseURL
            let yaml = """
                default: main
                router:
                  think: reasoner
                models:
                  - {model_id: main, model_name: up-main, api_base: "\(base)/v1", format: openai, fallback: [second]}
                  - {model_id: second, model_name: up-second, api_base: "\(base)/v1", format: openai}
                  - {model_id: reasoner, model_name: up-reasoner, api_base: "\(base)/v1", format: openai,
                     fallback: [backup]}
                  - {model_id: backup, model_name: up-backup, api_base: "\(base)/v1", format: openai}
                  - {model_id: dead, model_name: up-dead, api_base: "http://127.0.0.1:1/v1", format: openai,
                     fallback: [backup]}
                """
            let answers = try await RecordingProxy.send(
                requests, yaml: yaml, file: "fallback.yaml", recordingTo: directory)
            for ((path, _), answer) in zip(requests, answers) {
                #expect(answer.status == 200, "\(path): \(answer.text)")
                #expect(answer.text.contains("Hel"), "\(path): \(answer.text)")
            }
        }
        let set = try CassetteLoader.load(paths: [directory])
        let exchanges = set.exchanges
        try #require(exchanges.count == requests.count)

        let think = exchanges[0]
        #expect(think.legs.map { $0.route?["model_id"]?.stringValue } == ["reasoner", "backup"])
        #expect(think.legs.allSatisfy { $0.route?["scenario"]?.stringValue == "think" })
        #expect(think.legs[0].upstreamResponse?["status"]?.intValue == 529)
        #expect(think.legs[1].route?["fallback"]?["from"]?.stringValue == "reasoner")
        #expect(think.legs[1].route?["fallback"]?["status"]?.intValue == 529)
        #expect(think.diagnostics.contains { $0["path"]?.stringValue == "fallback" })

        let limited = exchanges[1]
        #expect(limited.legs.map { $0.route?["model_id"]?.stringValue } == ["main", "second"])
        #expect(limited.legs[0].route?["scenario"] == nil)
        #expect(limited.legs.allSatisfy { $0.upstreamRequest != nil && $0.upstreamResponse != nil })

        let refused = exchanges[2]
        #expect(refused.legs.map { $0.route?["model_id"]?.stringValue } == ["dead", "backup"])
        #expect(refused.legs[0].upstreamResponse == nil)
        #expect(refused.legs[1].route?["fallback"]?["status"] == .null)

        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount == requests.count, "\(report.text(verbose: true))")
    }
}
