import Cassette
import Foundation
import Proxy
import TestSupport
import Testing
import Wire

/// An upstream whose stream ends cleanly but inside its last event (cut
/// mid-line, no blank line after it), on a route whose frames reach the
/// client as they came: the client gets the proxy's error, not the piece
/// (which its SDK fails to parse), and the exchange is recorded as failed,
/// even when the finish reason had already gone by.
@Suite struct PassthroughCutEventTests {
    struct Route: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var request: JSONValue
        var upstream: [String]
        var testDescription: String { name }
    }

    static let routes: [Route] = [
        Route(
            name: "Chat passed through, cut after its finish_reason", path: "/v1/chat/completions",
            request: ["model": "gpt", "stream": true, "messages": [["role": "user", "content": "Hi"]]],
            upstream: Array(UpstreamBodies.openAIStream.prefix(4)) + [#"data: {"id":"c1","object":"chat.compl"#]),
        Route(
            name: "Anthropic relayed, cut inside content", path: "/v1/messages",
            request: ProxyHarness.messages(model: "claude", stream: true),
            upstream: [UpstreamBodies.anthropicStream(before: "content_block_delta") + #"data: {"type""#]),
    ]

    @Test(arguments: routes)
    func theClientGetsTheErrorNotTheCutEvent(_ route: Route) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-cut-event-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = try CassetteRecorder(directory: directory)
        try await ProxyHarness.run(recording: ExchangeRecording(recorder: recorder)) { proxy in
            proxy.stub.reply = .eventStream(route.upstream)
            let reply = try await proxy.post(route.path, json: route.request)
            #expect(reply.status == 200)
            let frames = sseFrames(reply.text)
            // Every frame the client gets is whole JSON; the last is the error.
            for frame in frames {
                #expect((try? JSONValue(parsing: frame.data)) != nil, "sent as if whole: \(frame.data)")
            }
            let last = try JSONValue(parsing: try #require(frames.last).data)
            #expect(
                last["error"]?["message"]?.stringValue?.hasSuffix(
                    "stream ended early, before the end of the event it was sending") == true, "\(reply.text)")
        }
        var ends: [JSONValue] = []
        var errors: [JSONValue] = []
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                if event.kind == "end" { ends.append(event.json) }
                if event.kind == "error" { errors.append(event.json) }
            }
        }
        #expect(ends.map { $0["outcome"] } == ["error"])
        #expect(errors.count == 1)
    }
}
