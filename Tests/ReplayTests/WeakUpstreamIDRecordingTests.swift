import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// An upstream that answers every turn with the same weak ids (Ollama's
/// `chatcmpl-<0..999>`, `call_0`): each exchange's client gets ids of its
/// own, and the recording verifies, the ids made again from the recorded
/// `id_seed`.
@Suite struct WeakUpstreamIDRecordingTests {
    @Test func repeatedWeakIdsDifferPerExchangeAndVerify() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-weak-ids-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = """
            {"id":"chatcmpl-123","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,\
            "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_0","type":"function",\
            "function":{"name":"Read","arguments":"{\\"path\\":\\"a\\"}"}}]},"finish_reason":"tool_calls"}]}
            """
        let chunks = [
            #"data: {"id":"chatcmpl-123","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":"#
                + #"[{"index":0,"id":"call_0","type":"function","function":{"name":"Read","arguments":"{}"}}]}}]}"#
                + "\n\n",
            #"data: {"id":"chatcmpl-123","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"# + "\n\n",
            "data: [DONE]\n\n",
        ]
        let request: JSONValue = [
            "model": "local", "max_tokens": 100, "messages": [["role": "user", "content": "Read a"]],
        ]
        var streamed = request
        streamed["stream"] = true
        let requests: [(path: String, body: JSONValue)] = [
            ("/v1/messages", request), ("/v1/messages", request), ("/v1/messages", streamed),
            ("/v1/messages", streamed),
        ]
        let answers = try await StubHTTPServer.withRunning { stub in
            let yaml = "- {model_id: local, model_name: up, api_base: \"\(stub.baseURL)/v1\"}\n"
            return try await RecordingProxy.send(requests, yaml: yaml, file: "weak.yaml", recordingTo: directory) {
                stub.reply = $0 < 2 ? .json(200, body) : .eventStream(chunks)
            }
        }
        #expect(answers.allSatisfy { $0.status == 200 }, "\(answers.map(\.text))")
        // The first tool_use id of a body or of a stream's frames.
        let toolIDs = answers.map { answer -> String? in
            guard let start = answer.text.range(of: #""type":"tool_use","id":""#) else { return nil }
            return answer.text[start.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
        }
        #expect(toolIDs.allSatisfy { $0 != nil && $0 != "call_0" }, "\(toolIDs)")
        #expect(Set(toolIDs).count == 4, "\(toolIDs)")
        let report = VerifyReport(set: try CassetteLoader.load(paths: [directory]), verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount == requests.count, "\(report.text(verbose: true))")
    }
}
