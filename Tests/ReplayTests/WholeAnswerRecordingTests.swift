import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Proxy
import Replay
import TestSupport
import Testing
import Wire

/// Streams made from a whole answer (`can_stream: false`) are recorded with
/// the route's setting, so `log-replay verify` makes the same stream again.
@Suite struct WholeAnswerRecordingTests {
    @Test func streamsMadeFromWholeAnswersVerify() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-whole-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let openAIAnswer = """
            {"id":"c1","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,"message":\
            {"role":"assistant","content":"Sunny.","tool_calls":[{"id":"call_1","type":"function","function":\
            {"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":"tool_calls"}],\
            "usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}
            """
        let requests: [(path: String, body: JSONValue)] = [
            (
                "/v1/messages",
                [
                    "model": "whole", "max_tokens": 100, "stream": true,
                    "messages": [["role": "user", "content": "Weather in Paris?"]],
                ]
            ),
            (
                "/v1/chat/completions",
                ["model": "whole", "stream": true, "messages": [["role": "user", "content": "Weather in Paris?"]]]
            ),
            (
                "/v1beta/models/whole:streamGenerateContent?alt=sse",
                ["contents": [["role": "user", "parts": [["text": "Weather in Paris?"]]]]]
            ),
        ]
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, openAIAnswer)
            let yaml = "- {model_id: whole, model_name: up, api_base: \"\(stub.baseURL)/v1\", can_stream: false}\n"
            let answers = try await RecordingProxy.send(
                requests, yaml: yaml, file: "whole.yaml", recordingTo: directory)
            for ((path, _), answer) in zip(requests, answers) {
                #expect(answer.status == 200, "\(path): \(answer.text)")
                #expect(answer.text.contains("Sunny.") && answer.text.contains("weather"), "\(path): \(answer.text)")
            }
        }
        let report = VerifyReport(set: try CassetteLoader.load(paths: [directory]), verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount == requests.count, "\(report.text(verbose: true))")
    }
}
