import Cassette
import Foundation
import Proxy
import TestSupport
import Testing
import Wire

/// An upstream whose connection fails after its stream's last event (its
/// content-length overstated, or a close before the chunked end): the
/// client's stream was complete, so it ends as it was, on a pass-through
/// route as on a converted one, and the exchange is not a failure; the
/// broken connection is a note in the cassette.
@Suite struct FailureAfterTheStreamsEndTests {
    @Test(arguments: ["/v1/chat/completions", "/v1/messages"])
    func theStreamEndsAsItWasAndTheExchangeSucceeds(path: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-after-end-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = try CassetteRecorder(directory: directory)
        try await ProxyHarness.run(recording: ExchangeRecording(recorder: recorder)) { proxy in
            var reply = StubHTTPServer.Reply.eventStream(UpstreamBodies.openAIStream)
            reply.steps.append(.cut)
            proxy.stub.reply = reply
            let request: JSONValue =
                path == "/v1/messages"
                ? ProxyHarness.messages(stream: true)
                : ["model": "gpt", "stream": true, "messages": [["role": "user", "content": "Hi"]]]
            let answer = try await proxy.post(path, json: request)
            #expect(answer.status == 200)
            let last = try #require(sseFrames(answer.text).last)
            #expect(last.data == "[DONE]" || last.event == "message_stop", "\(answer.text)")
            #expect(!answer.text.contains("\"error\""), "\(answer.text)")
        }
        var recorded: [String: [JSONValue]] = [:]
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                recorded[event.kind, default: []].append(event.json)
            }
        }
        #expect(recorded["end"]?.map { $0["outcome"] } == ["ok"])
        #expect(recorded["error"] == nil)
        #expect(
            recorded["diagnostic"]?.contains { $0["message"]?.stringValue?.hasPrefix("after the stream's end") == true }
                == true)
    }
}
