import Foundation
import TestSupport
import Testing
import Wire

/// Clients that take their time: a head sent a byte at a time is cut off
/// after the header timeout; a client that asks before sending a large body
/// (`Expect: 100-continue`) is told to go ahead at once.
@Suite struct SlowClientTests {
    @Test func aHeadSentByteByByteIsDroppedAfterTheHeaderTimeout() async throws {
        // 5 s, not less: the check that the proxy still serves afterwards
        // is held to the same timeout, from its connection's accept to its
        // head read, and a 2 s one was missed once on a loaded machine
        // (remoteConnectionClosed).
        try await ProxyHarness.run(headerTimeout: .seconds(5)) { proxy in
            let started = ContinuousClock.now
            let dropped = try await RawClientConnection.with(port: proxy.port) { connection in
                let head = Array(
                    RawClientConnection.request(
                        "POST", "/v1/messages", body: ProxyHarness.messages().serializedString()
                    )
                    .utf8)
                for byte in head {
                    do {
                        try await connection.write([byte])
                    } catch {
                        return true
                    }
                    try await Task.sleep(for: .milliseconds(250))
                }
                return false
            }
            let elapsed = ContinuousClock.now - started
            #expect(dropped, "the whole head went out: nothing cut the connection")
            // Not before the timeout; well before the 60 s the whole head takes.
            #expect(elapsed >= .seconds(5) && elapsed < .seconds(40), "\(elapsed)")
            try await expectStillServing(proxy, attempts: 3)
        }
    }

    @Test func aKeptAliveConnectionOutlivesTheHeaderTimeoutWhileAnswered() async throws {
        // A stream longer than the header timeout is not cut: the timer runs
        // only between an answer's end and the next head.
        try await ProxyHarness.run(headerTimeout: .seconds(3)) { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream, delay: .milliseconds(1500))
            try await RawClientConnection.with(port: proxy.port) { connection in
                let body = ProxyHarness.messages(stream: true).serializedString()
                try await connection.write(RawClientConnection.request("POST", "/v1/messages", body: body))
                let response = try #require(try await connection.readResponse())
                #expect(response.status == 200)
                #expect(sseFrames(response.text).last?.event == "message_stop", "\(response.text)")
                // Then idle past the timeout: closed.
                #expect(try await connection.readToEnd().isEmpty)
                #expect(connection.closed)
            }
        }
    }

    @Test func expectContinueGetsAGoAheadBeforeAFiveMegabyteBody() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            var request = ProxyHarness.messages()
            request["messages"] = [
                ["role": "user", "content": .string(String(repeating: "lorem ipsum ", count: 440_000))]
            ]
            let body = request.serialized()
            #expect(body.count > 5_000_000)
            try await RawClientConnection.with(port: proxy.port) { connection in
                try await connection.write(
                    RawClientConnection.messagesHead(["Content-Length: \(body.count)", "Expect: 100-continue"]))
                let goAhead = try #require(try await connection.readResponse())
                #expect(goAhead.status == 100)
                try await connection.write(body)
                let answer = try #require(try await connection.readResponse())
                #expect(answer.status == 200, "\(answer.text)")
                #expect(try JSONValue(parsing: answer.body)["type"] == "message")
            }
            #expect(proxy.stub.requests.first?.body.count ?? 0 > 5_000_000)
            try await expectStillServing(proxy)
        }
    }

    @Test func expectContinueWithABodyOverTheLimitGets413AtOnce() async throws {
        try await ProxyHarness.run(maxBodyBytes: 1 << 20) { proxy in
            try await RawClientConnection.with(port: proxy.port) { connection in
                try await connection.write(
                    RawClientConnection.messagesHead(["Content-Length: \(100 << 20)", "Expect: 100-continue"]))
                // No go-ahead: the refusal, with no body sent.
                let answer = try #require(try await connection.readResponse())
                #expect(answer.status == 413)
                #expect(try JSONValue(parsing: answer.body)["error"]?["type"] == "request_too_large")
            }
            #expect(proxy.stub.requests.isEmpty)
        }
    }
}
