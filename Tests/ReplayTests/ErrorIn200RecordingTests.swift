import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// A 200 whose body is an error, not streamed, on a route of the client's
/// own format (Anthropic to Anthropic, a Chat client passed through): the
/// client gets the upstream's error (502 in its own shape, which its SDK
/// reads as an error, where a 200 crashed it), the exchange is recorded as
/// an error, and `log-replay verify` makes the same answer again (it said
/// 502 where the proxy had relayed a 200: a fresh recording differed).
@Suite struct ErrorIn200RecordingTests {
    /// With a usage beside the error too: the relay read such an answer as
    /// it came (its usage found), where verify refused it.
    @Test(arguments: [false, true])
    func theClientGetsAnErrorAndTheRecordingVerifies(withUsage: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-err200-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let requests: [(path: String, body: JSONValue)] = [
            ("/v1/messages", ["model": "claude", "max_tokens": 100, "messages": [["role": "user", "content": "Hi"]]]),
            ("/v1/chat/completions", ["model": "gpt", "messages": [["role": "user", "content": "Hi"]]]),
        ]
        try await StubHTTPServer.withRunning { stub in
            let anthropicUsage = withUsage ? #","usage":{"input_tokens":5,"output_tokens":0}"# : ""
            let chatUsage = withUsage ? #","usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}"# : ""
            stub.replyFor = { request in
                request.path.hasSuffix("/messages")
                    ? .json(
                        200,
                        #"{"type":"error","error":{"type":"overloaded_error","message":"busy now"}"# + anthropicUsage
                            + "}")
                    : .json(
                        200, #"{"error":{"message":"busy now","type":"server_error","code":null}"# + chatUsage + "}")
            }
            let yaml = """
                - {model_id: claude, model_name: up-claude, api_base: "\(stub.baseURL)", format: anthropic}
                - {model_id: gpt, model_name: up-gpt, api_base: "\(stub.baseURL)/v1", format: openai}

                """
            let answers = try await RecordingProxy.send(
                requests, yaml: yaml, file: "err200.yaml", recordingTo: directory)
            #expect(answers.map(\.status) == [502, 502])
            let anthropic = try JSONValue(parsing: answers[0].text)
            #expect(anthropic["type"] == "error", "\(answers[0].text)")
            #expect(anthropic["error"]?["message"]?.stringValue?.contains("busy now") == true, "\(answers[0].text)")
            let chat = try JSONValue(parsing: answers[1].text)
            #expect(chat["error"]?["message"]?.stringValue?.contains("busy now") == true, "\(answers[1].text)")
        }
        let set = try CassetteLoader.load(paths: [directory])
        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount == 2, "\(report.text(verbose: true))")
    }
}
