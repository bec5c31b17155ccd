import AsyncHTTPClient
import NIOCore
import TestSupport
import Testing
import Wire

/// A client that hangs up takes its upstream request with it.
@Suite struct ClientHangUpTests {
    @Test func hangUpBeforeTheUpstreamAnswersClosesTheUpstreamConnection() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .never
            let client = Task {
                try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            }
            #expect(await proxy.stub.waitForRequests(1))
            client.cancel()
            _ = await client.result
            #expect(await proxy.stub.waitForHangUps(1))
            try await expectStillServing(proxy)
        }
    }

    @Test(arguments: ["gpt", "claude"])
    func hangUpMidStreamClosesTheUpstreamConnection(model: String) async throws {
        try await ProxyHarness.run { proxy in
            let chunks = model == "gpt" ? UpstreamBodies.openAIStream : UpstreamBodies.anthropicStream
            // Each prefix holds at least one complete event.
            var reply = StubHTTPServer.Reply.eventStream(Array(chunks.prefix(model == "gpt" ? 2 : 4)))
            reply.steps.append(.stall)
            proxy.stub.reply = reply
            let (firstBytes, signal) = AsyncStream<Void>.makeStream()
            let client = Task {
                var request = HTTPClientRequest(url: proxy.baseURL + "/v1/messages")
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: ProxyHarness.messages(model: model, stream: true).serialized()))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                for try await _ in response.body {
                    signal.yield()
                }
            }
            var iterator = firstBytes.makeAsyncIterator()
            await iterator.next()
            client.cancel()
            _ = await client.result
            #expect(await proxy.stub.waitForHangUps(1))
            try await expectStillServing(proxy)
        }
    }
}
