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
            #expect(await proxy.stub.waitForRequests(1, limit: .seconds(60)))
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
                let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
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

    @Test func hangUpBeforeTheHeadIsCompleteLeavesNoTrace() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        try await ProxyHarness.run(recording: cassette.recording) { proxy in
            try await RawClientConnection.with(port: proxy.port) { connection in
                try await connection.write("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
            }
            try await expectStillServing(proxy)
            #expect(proxy.stub.requests.count == 1)
        }
        // Only the request that came whole is in the cassette.
        let exchanges = try cassette.exchanges()
        #expect(exchanges.count == 1)
        #expect(exchanges.values.first?.last?["outcome"] == "ok")
    }

    @Test func hangUpBeforeTheBodyEndsIsRecordedAsTheClientGone() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        try await ProxyHarness.run(recording: cassette.recording) { proxy in
            try await RawClientConnection.with(port: proxy.port) { connection in
                let body = ProxyHarness.messages().serializedString()
                let request = RawClientConnection.request(
                    "POST", "/v1/messages", body: body + String(repeating: " ", count: 100_000))
                try await connection.write(String(request.utf8.prefix(request.utf8.count - 90_000))!)
                // Until the proxy has the head, so the exchange has begun.
                try await Task.sleep(for: .milliseconds(500))
            }
            try await expectStillServing(proxy)
            #expect(proxy.stub.requests.count == 1, "the cut request never went upstream")
        }
        let exchanges = try cassette.exchanges()
        let outcomes = exchanges.values.compactMap { $0.last { $0.kind == "end" }?["outcome"]?.stringValue }
        #expect(outcomes.sorted() == ["client_cancelled", "ok"], "\(exchanges.values.map { $0.map(\.kind) })")
        // Nothing was sent to a client that had gone: no response recorded, no first byte.
        let gone = try #require(exchanges.values.first { $0.last?["outcome"] == "client_cancelled" })
        #expect(gone.map(\.kind) == ["client_request", "error", "end"])
        // Typed as what happened, not as an `api_error` of the proxy's.
        #expect(gone[1]["stage"] == "client")
        #expect(gone[1]["type"] == "client_cancelled")
        #expect(gone[1]["status"] == 499)
        #expect(gone.last?["ttfb_us"]?.intValue == nil)
    }
}
