import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// A request refused for a number out of range is recorded as the client
/// sent it, not with the number turned into `null`, and `log-replay verify`
/// finds no difference in it (it was refused before it had a route).
@Suite struct OutOfRangeNumberRecordingTests {
    @Test func theRefusedRequestIsRecordedAsSentAndVerifies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-range-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = #"{"model":"up","max_tokens":1e400,"messages":[{"role":"user","content":"hi"}]}"#
        try await StubHTTPServer.withRunning { stub in
            let yaml = "- {model_id: up, model_name: up, api_base: \"\(stub.baseURL)/v1\"}\n"
            let answers = try await RecordingProxy.send(
                texts: [("/v1/messages", body)], yaml: yaml, file: "range.yaml", recordingTo: directory)
            #expect(answers.map(\.status) == [400])
            #expect(answers.first?.text.contains(#"in \"max_tokens\""#) == true, "\(answers)")
            #expect(stub.requests.isEmpty)
        }
        let set = try CassetteLoader.load(paths: [directory])
        let request = try #require(set.exchanges.first?.clientRequest)
        #expect(request["body"] == nil)
        #expect(request["body_text"] == .string(body))
        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
    }
}
