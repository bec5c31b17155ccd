import AsyncHTTPClient
import NIOCore
import Testing

@testable import Proxy

/// The upstream client's pooled connections: reused while the upstream
/// keeps them alive, never after a response left unread, and never a
/// failed request for a connection the upstream closed while idle.
@Suite struct UpstreamClientPoolTests {
    private static let answer = EchoUpstream.echo(target: "/v1/messages", body: "{\"n\":1}")

    @Test func keptAliveOneConnectionCarriesRequestAfterRequest() async throws {
        try await EchoUpstream.with { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            for index in 0..<20 {
                let body: String = try await client.post(to: "http://127.0.0.1:\(server.port)/v1/messages")
                #expect(body == Self.answer, "request \(index)")
            }
            #expect(server.connections == 1)
            #expect(server.hostHeaders == Array(repeating: "127.0.0.1:\(server.port)", count: 20))
        }
    }

    @Test func aResponseLeftUnreadClosesItsConnection() async throws {
        var behaviour = EchoUpstream.Behaviour()
        behaviour.padding = 4 << 20
        try await EchoUpstream.with(behaviour: behaviour) { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            let url = "http://127.0.0.1:\(server.port)/v1/messages"
            do {
                let response: HTTPClientResponse = try await client.post(to: url)
                var chunks = response.body.makeAsyncIterator()
                let first = try await chunks.next()
                #expect(first.map { String(buffer: $0).hasPrefix("{\"echo\"") } == true)
                // The rest of the 4 MB is never read.
            }
            let response: HTTPClientResponse = try await client.post(to: url)
            let body = try await response.body.collect(upTo: 8 << 20)
            #expect(body.readableBytes == Self.answer.utf8.count + (4 << 20))
            #expect(server.connections == 2, "the unfinished response's connection is not reused")
        }
    }

    @Test func anUpstreamThatSaysConnectionCloseGetsANewConnectionEachTime() async throws {
        var behaviour = EchoUpstream.Behaviour()
        behaviour.closeAfterEachResponse = true
        try await EchoUpstream.with(behaviour: behaviour) { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            for index in 0..<3 {
                let body: String = try await client.post(to: "http://127.0.0.1:\(server.port)/v1/messages")
                #expect(body == Self.answer, "request \(index)")
            }
            #expect(server.connections == 3)
        }
    }

    @Test func anIdleConnectionTheUpstreamClosedIsNotUsedAgain() async throws {
        var behaviour = EchoUpstream.Behaviour()
        behaviour.closeIdleAfter = .milliseconds(20)
        try await EchoUpstream.with(behaviour: behaviour) { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            for index in 0..<3 {
                let body: String = try await client.post(to: "http://127.0.0.1:\(server.port)/v1/messages")
                #expect(body == Self.answer, "request \(index)")
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(server.connections == 3)
        }
    }

    @Test func anUpstreamSilentPastTheTimeoutIsAReadTimeout() async throws {
        var behaviour = EchoUpstream.Behaviour()
        behaviour.silent = true
        try await EchoUpstream.with(behaviour: behaviour) { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            let started = ContinuousClock.now
            await #expect(throws: HTTPClientError.readTimeout) {
                let _: HTTPClientResponse = try await client.post(
                    to: "http://127.0.0.1:\(server.port)/v1/messages", timeout: .milliseconds(300))
            }
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func aPooledConnectionClosedAsTheRequestGoesOutIsRetriedOnANewOne() async throws {
        var behaviour = EchoUpstream.Behaviour()
        behaviour.dropReusedRequests = true
        try await EchoUpstream.with(behaviour: behaviour) { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            for index in 0..<2 {
                let body: String = try await client.post(to: "http://127.0.0.1:\(server.port)/v1/messages")
                #expect(body == Self.answer, "request \(index)")
            }
            #expect(server.requestCount == 3, "the second request went out twice")
            #expect(server.connections == 2)
        }
    }

    @Test func aRequestIsRetriedOnceOnlyWhenPooledConnectionsKeepClosing() async throws {
        var behaviour = EchoUpstream.Behaviour()
        behaviour.answerFirst = 2
        try await EchoUpstream.with(behaviour: behaviour) { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            let url = "http://127.0.0.1:\(server.port)/v1/messages"
            // Two at once: two connections end up in the pool.
            async let first: String = client.post(to: url)
            async let second: String = client.post(to: url)
            let answers = try await [first, second]
            #expect(answers == [Self.answer, Self.answer])
            #expect(server.connections == 2)
            await #expect(throws: HTTPClientError.remoteConnectionClosed) {
                let _: String = try await client.post(to: url)
            }
            #expect(server.requestCount == 4, "sent on one pooled connection, then once more on the other")
        }
    }

    @Test func anAnswerFramedByTheCloseIsReadWholeAndItsConnectionNotReused() async throws {
        var behaviour = EchoUpstream.Behaviour()
        behaviour.framedByClose = true
        behaviour.padding = 100_000
        try await EchoUpstream.with(behaviour: behaviour) { server in
            let client = UpstreamClient()
            defer { client.shutdown() }
            for index in 0..<2 {
                let response: HTTPClientResponse = try await client.post(
                    to: "http://127.0.0.1:\(server.port)/v1/messages")
                let body = try await response.body.collect(upTo: 1 << 20)
                #expect(body.readableBytes == Self.answer.utf8.count + 100_000, "request \(index)")
            }
            #expect(server.connections == 2)
        }
    }
}
