import AsyncHTTPClient
import Cassette
import Foundation
import NIOCore
import TestSupport
import Testing

@testable import Proxy

/// Each stage, reached through the running proxy, is the one recorded.
@Suite struct RecordedErrorStageTests {
    private struct Recorded {
        var stages: [String]
        var outcome: String?
        /// The error lines' messages, to say why a stage was not the expected one.
        var messages: [String] = []
    }

    @Test func everyStageIsRecordedWhereItHappens() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-stages-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try ExchangeRecording(directory: directory)
        var ids: [String: String] = [:]
        // No stage here waits for the route's timeout, so it only has to be
        // long enough for a loaded CI machine: 3 s was seen to expire there.
        try await ProxyHarness.run(timeout: "20s", recording: recording) { proxy in
            func send(_ label: String, _ reply: () async throws -> ProxyHarness.Reply) async throws {
                ids[label] = try await reply().headers.first(name: "request-id")
            }
            try await send("client_request") { try await proxy.post(text: "[1, 2") }
            try await send("route") { try await proxy.send(.GET, "/v1/models/nope") }
            proxy.stub.reply = .json(200, #"{"object":"chat.completion"}"#)
            try await send("conversion") { try await proxy.post(json: ProxyHarness.messages(model: "gpt")) }
            try await send("upstream_connect") { try await proxy.post(json: ProxyHarness.messages(model: "down")) }
            proxy.stub.reply = .json(200, "<html>busy</html>")
            try await send("upstream_response") { try await proxy.post(json: ProxyHarness.messages(model: "gpt")) }
            var cut = StubHTTPServer.Reply.eventStream(Array(UpstreamBodies.openAIStream.prefix(2)))
            cut.steps.append(.cut)
            proxy.stub.reply = cut
            try await send("upstream_stream") {
                try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            }
            proxy.stub.reply = .eventStream([
                UpstreamBodies.openAIStream[0], UpstreamBodies.openAIStream[1],
                #"data: {"error":{"message":"overloaded, try later","type":"overloaded_error"}}"# + "\n\n",
            ])
            try await send("upstream_stream_event") {
                try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            }
            proxy.stub.reply = .eventStream(Array(UpstreamBodies.openAIStream.prefix(3)))
            try await send("upstream_stream_end") {
                try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            }
            var stall = StubHTTPServer.Reply.eventStream(Array(UpstreamBodies.openAIStream.prefix(2)))
            stall.steps.append(.stall)
            proxy.stub.reply = stall
            ids["client"] = try await Self.hangUpAfterFirstBytes(proxy)
            #expect(await proxy.stub.waitForHangUps(1))
        }
        var recorded: [String: Recorded] = [:]
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                let id = event.exchange ?? ""
                if event.kind == "error" {
                    recorded[id, default: Recorded(stages: [])].stages.append(event["stage"]?.stringValue ?? "?")
                    recorded[id, default: Recorded(stages: [])].messages.append(event["message"]?.stringValue ?? "?")
                }
                if event.kind == "end" {
                    recorded[id, default: Recorded(stages: [])].outcome = event["outcome"]?.stringValue
                }
            }
        }
        // `shutdown` is reached only by stopping the server without waiting
        // (SIGQUIT); DaemonTests stops a `proxy start`ed one so.
        let stages = Set(CassetteStage.allCases.map(\.rawValue)).subtracting([CassetteStage.shutdown.rawValue])
        #expect(Set(ids.keys) == stages, "every stage is reached")
        for (stage, id) in ids {
            #expect(recorded[id]?.stages == [stage], "\(stage): \(recorded[id]?.messages ?? [])")
            #expect(recorded[id]?.outcome == (stage == "client" ? "client_cancelled" : "error"), "\(stage)")
        }
    }

    /// Reads a streamed answer until its first bytes, then hangs up; the
    /// exchange id came in the head.
    private static func hangUpAfterFirstBytes(_ proxy: ProxyHarness) async throws -> String? {
        let (heads, signal) = AsyncStream<String?>.makeStream()
        let client = Task {
            var request = HTTPClientRequest(url: proxy.baseURL + "/v1/messages")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: ProxyHarness.messages(model: "gpt", stream: true).serialized()))
            let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
            for try await _ in response.body {
                signal.yield(response.headers.first(name: "request-id"))
            }
        }
        var iterator = heads.makeAsyncIterator()
        let id = await iterator.next() ?? nil
        client.cancel()
        _ = await client.result
        return id
    }
}
