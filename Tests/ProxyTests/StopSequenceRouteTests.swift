import Convert
import TestSupport
import Testing
import Wire

@testable import Proxy

/// Stop sequences an upstream cannot take, applied by the running proxy:
/// the client's stream ends at the sequence even though the upstream writes
/// on, and the upstream request is dropped.
@Suite struct StopSequenceRouteTests {
    /// A Responses upstream takes no stop sequences. It streams "The final
    /// result is **570**" and then stalls, never finishing: the client's
    /// stream still ends, at "is **5", and the proxy hangs up on the upstream.
    @Test func aResponsesRouteEndsTheClientsStreamAtTheSequenceAndDropsTheUpstream() async throws {
        let path = try Fixtures.path("providers/openai-responses/openai-reasoning-encrypted-content.1.chunks.txt")
        var payloads: [String] = []
        for payload in try Fixtures.chunkPayloads(atPath: path) {
            if payload.hasPrefix(#"{"type":"response.created""#) { payloads = [] }
            payloads.append(payload)
        }
        // Up to the delta that completes the sequence; nothing after it is sent.
        let cut = try #require(payloads.firstIndex { $0.contains(#""delta":"570""#) })
        var reply = StubHTTPServer.Reply(
            status: 200, headers: [("content-type", "text/event-stream")],
            steps: [.bytes(Fixtures.sseBytes(payloads: Array(payloads[...cut]), framing: .namedByType))])
        reply.steps.append(.stall)
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = reply
            var request = ProxyHarness.messages(model: "responses", stream: true)
            request["stop_sequences"] = ["is **5"]
            let started = ContinuousClock.now
            let answer = try await proxy.post("/v1/messages", json: request)
            #expect(ContinuousClock.now - started < .seconds(20), "the stream ended with the match, not a timeout")
            #expect(answer.status == 200)
            #expect(AnthropicStreamChecker.violations(inBytes: answer.body).isEmpty)
            let frames = sseFrames(answer.text)
            #expect(
                frames.map(\.event) == [
                    "message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta",
                    "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
                    "message_stop",
                ])
            let payloads = frames.map { try? JSONValue(parsing: $0.data) }
            #expect(payloads[3...6].map { $0?["delta"]?["text"] } == ["The", " final", " result", " "])
            #expect(payloads[8]?["delta"] == ["stop_reason": "stop_sequence", "stop_sequence": "is **5"])
            #expect(await proxy.stub.waitForHangUps(1), "the upstream request is dropped")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.first).body)
            #expect(sent["stop_sequences"] == nil && sent["stop"] == nil)
        }
    }

    /// OpenAI's own API (and Azure's) takes 4 stop sequences; other Chat
    /// servers are given all, and other formats' limits are the format's.
    @Test func openAIsOwnChatRoutesHaveTheLimitOfFour() throws {
        let yaml = """
            models:
              - {model_id: openai, model_name: gpt-4o, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: azure, model_name: d, api_base: "https://x.openai.azure.com/openai/deployments/d", format: openai}
              - {model_id: deepseek, model_name: deepseek-chat, api_base: "https://api.deepseek.com/v1", format: openai}
              - {model_id: gemini, model_name: g, api_base: "https://generativelanguage.googleapis.com/v1beta", format: gemini}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let limits = config.models.map { $0.routeOptions(requestedModel: "x").maxStopSequences }
        #expect(limits == [4, 4, nil, nil])
        #expect(config.models[0].routeOptions(requestedModel: "x").json["max_stop_sequences"] == 4)
    }
}
