import Cassette
import Foundation
import Replay
import TestSupport
import Testing
import Wire

/// A key a route carries in its `extra_body` (a gateway that takes it in the
/// body) went to the cassette in clear: in the route line and in the
/// upstream request's body. It is fingerprinted in both, and the exchange
/// still verifies.
///
/// (A key in `api_base`'s query, `key=` or a `sig=`, is refused when the
/// config is read.)
@Suite struct ExtraBodySecretRecordingTests {
    private static let openAICompletion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"up",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
        """

    @Test func extraBodyKeysAreFingerprintedAndStillVerify() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-secret-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bodyKey = "BODYSECRET-4242-abcdef"
        let request: (path: String, body: JSONValue) = (
            "/v1/messages", ["model": "gw", "max_tokens": 50, "messages": [["role": "user", "content": "Hi"]]]
        )
        // The gateway answers the first request, and refuses the second
        // quoting its input, the key among it (FastAPI's 422).
        let refusal = #"{"detail":[{"loc":["body","api_key"],"input":"\#(bodyKey)","msg":"invalid key"}]}"#
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, Self.openAICompletion)
            let yaml = """
                - model_id: gw
                  model_name: up
                  api_base: "\(stub.baseURL)/v1"
                  format: openai
                  extra_body: {api_key: \(bodyKey), metadata: {tenant: acme, author: alice, auth_token: [\(bodyKey)]}}

                """
            let answered = try await RecordingProxy.send([request], yaml: yaml, file: "gw.yaml", recordingTo: directory)
            #expect(answered.first?.status == 200, "\(answered.first?.text ?? "")")
            // The upstream itself got the key.
            let sent = try #require(stub.requests.last)
            #expect(String(decoding: sent.body, as: UTF8.self).contains(bodyKey))
            stub.reply = .json(422, refusal)
            let refused = try await RecordingProxy.send([request], yaml: yaml, file: "gw.yaml", recordingTo: directory)
            #expect(refused.first?.status == 422, "\(refused.first?.text ?? "")")
            #expect(refused.first?.text.contains(bodyKey) == false, "\(refused.first?.text ?? "")")
            #expect(refused.first?.text.contains(Redactor.fingerprint(bodyKey)) == true, "\(refused.first?.text ?? "")")
        }
        var texts: [String] = []
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                texts.append(event.json.serializedString())
                if let body = event.bodyBytes { texts.append(String(decoding: body, as: UTF8.self)) }
            }
        }
        let text = texts.joined(separator: "\n")
        #expect(!text.contains(bodyKey))
        #expect(text.contains(#""api_key":"[redacted:"#))
        #expect(text.contains(#""tenant":"acme""#))
        // A short string under a secret-looking name is a setting, kept.
        #expect(text.contains(#""author":"alice""#))
        let report = VerifyReport(set: try CassetteLoader.load(paths: [directory]), verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount == 2, "\(report.text(verbose: true))")
    }
}
