import Foundation
import TestSupport
import Testing
import Wire

/// What real clients do to a connection that the proxy's own server side
/// must answer in HTTP/1.1's terms: ask to upgrade it (Java's HTTP client,
/// `curl --http2`), speak HTTP/1.0, spell `Connection: close` their way,
/// pipeline an `Expect: 100-continue` behind a stream, go silent inside a
/// body, or send a chunked body that is not.
@Suite struct ClientConnectionFramingTests {
    private static let streamRequest = ProxyHarness.messages(stream: true).serializedString()

    /// NIO's decoder parses nothing after a request asking to upgrade: the
    /// next request on the connection hung, and what the client sent grew
    /// the proxy's memory without bound.
    @Test func anUpgradeRequestIsAnsweredThenItsConnectionCloses() async throws {
        try await ProxyHarness.run { proxy in
            try await Self.withAnswer(
                to: [
                    "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA",
                ], from: proxy
            ) { connection, answer in
                #expect(answer.head.lowercased().contains("connection: close"), "\(answer.head)")
                // More input, as a client ignoring the close might send: not kept.
                let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
                for _ in 0..<64 {
                    do { try await connection.write(junk) } catch { break }
                }
                let answered = ContinuousClock.now
                _ = try await connection.readToEnd()
                #expect(connection.closed)
                // Closed by the proxy, not by the test's own time limit.
                #expect(ContinuousClock.now - answered < .seconds(30))
            }
            try await expectStillServing(proxy)
        }
    }

    @Test func connectionCloseIsReadAsATokenInAnyCase() async throws {
        try await ProxyHarness.run { proxy in
            try await Self.withAnswer(to: ["Connection: Close, TE"], from: proxy) { connection, _ in
                let answered = ContinuousClock.now
                let rest = try await connection.readToEnd()
                #expect(rest.isEmpty)
                #expect(connection.closed)
                // Closed by the proxy, not by the test's own time limit.
                #expect(ContinuousClock.now - answered < .seconds(30))
            }
        }
    }

    /// HTTP/1.0 has no chunked encoding: a stream goes as it is, ended by the close.
    @Test func anHTTP10StreamIsNotChunkedAndEndsWithTheConnection() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream, delay: .milliseconds(20))
            try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                let request = RawClientConnection.request("POST", "/v1/messages", body: Self.streamRequest)
                try await connection.write(request.replacingOccurrences(of: "HTTP/1.1\r\n", with: "HTTP/1.0\r\n"))
                let sent = ContinuousClock.now
                // Read to the close: the proxy's, not the test's time limit.
                let answer = try #require(try await connection.readResponse())
                // Under the test's own limit (30 s) with room: a loaded
                // machine took 10 to 15 s to stream the 20 paced chunks.
                #expect(ContinuousClock.now - sent < .seconds(25))
                #expect(answer.status == 200)
                let head = answer.head.lowercased()
                #expect(!head.contains("transfer-encoding"), "\(answer.head)")
                #expect(head.contains("connection: close"), "\(answer.head)")
                #expect(sseFrames(answer.text).last?.event == "message_stop", "\(answer.text)")
                #expect(connection.closed)
            }
        }
    }

    /// The go-ahead for a pipelined request waits for the answer before it:
    /// written at once, it landed between two chunks of a stream.
    @Test func aPipelinedExpectContinueWaitsForTheStreamBeforeIt() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream, delay: .milliseconds(100))
            try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                let second = ProxyHarness.messages().serializedString()
                try await connection.write(
                    RawClientConnection.request("POST", "/v1/messages", body: Self.streamRequest))
                // Once the stream has begun.
                try await Task.sleep(for: .milliseconds(150))
                try await connection.write(
                    RawClientConnection.messagesHead(["Content-Length: \(second.utf8.count)", "Expect: 100-continue"]))
                let stream = try #require(try await connection.readResponse())
                #expect(stream.status == 200)
                #expect(!stream.text.contains("HTTP/1.1 100"), "\(stream.text)")
                #expect(sseFrames(stream.text).last?.event == "message_stop", "\(stream.text)")
                let goAhead = try #require(try await connection.readResponse())
                #expect(goAhead.status == 100)
                proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
                try await connection.write(second)
                let answer = try #require(try await connection.readResponse())
                #expect(answer.status == 200, "\(answer.text)")
            }
        }
    }

    /// A body that stops halfway held its connection (and a
    /// `--max-connections` place) for good: its silences are timed too.
    /// Recorded as the proxy's timeout, not the client's hang-up (the
    /// proxy closed the connection), with no response, which was never sent,
    /// and no first byte.
    @Test func aBodyThatGoesSilentIsDroppedAfterTheHeaderTimeout() async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        try await ProxyHarness.run(recording: cassette.recording, headerTimeout: .seconds(3)) { proxy in
            let started = ContinuousClock.now
            try await RawClientConnection.with(port: proxy.port, limit: .seconds(40)) { connection in
                try await connection.write(RawClientConnection.messagesHead(["Content-Length: 100"]) + "{\"model\":")
                _ = try await connection.readToEnd()
                #expect(connection.closed)
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .seconds(3) && elapsed < .seconds(30), "\(elapsed)")
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy, attempts: 3)
        }
        let cut = try #require(
            try cassette.exchanges().values.first { lines in !lines.contains { $0.kind == "upstream_request" } })
        #expect(cut.map(\.kind) == ["client_request", "error", "end"])
        let error = try #require(cut.first { $0.kind == "error" })
        #expect(error["stage"] == "client")
        #expect(error["status"] == 408)
        #expect(
            error["message"]
                == "the client sent or read nothing for 3 s (--header-timeout); the proxy closed the connection")
        let end = try #require(cut.last)
        #expect(end["outcome"] == "error")
        #expect(end["ttfb_us"]?.intValue == nil)
    }

    /// Not "client closed the connection" (499): the client is there, and
    /// its body was not HTTP.
    @Test func aMalformedChunkedBodyGets400() async throws {
        try await ProxyHarness.run { proxy in
            try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                try await connection.write(
                    RawClientConnection.messagesHead(["Transfer-Encoding: chunked"]) + "zz\r\n{}\r\n")
                let answer = try #require(try await connection.readResponse())
                #expect(answer.status == 400, "\(answer.text)")
                #expect(answer.head.lowercased().contains("connection: close"), "\(answer.head)")
                let error = try JSONValue(parsing: answer.body)["error"]
                #expect(error?["type"] == "invalid_request_error")
                #expect(error?["message"]?.stringValue?.contains("framing is malformed") == true, "\(answer.text)")
            }
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    /// A request target longer than NIO's decoder may hold unparsed
    /// (``RequestHeadRefusal/maxUnparsedBytes``) gets 431, not the memory it asks for.
    @Test func aRequestTargetPastTheUnparsedLimitGets431() async throws {
        try await ProxyHarness.run { proxy in
            try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                let target = "/v1/models?" + String(repeating: "a", count: 300 * 1024)
                try await connection.write(RawClientConnection.request("GET", target))
                let answer = try #require(try await connection.readResponse())
                #expect(answer.status == 431, "\(answer.head)")
            }
            try await expectStillServing(proxy)
        }
    }

    /// A monitor's `HEAD /health`: the answer's head, its length, no body.
    @Test func headHealthGetsTheHeadAlone() async throws {
        try await ProxyHarness.run { proxy in
            try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                try await connection.write(
                    RawClientConnection.request("HEAD", "/health", headers: ["Connection: close"]))
                let text = String(decoding: try await connection.readToEnd(), as: UTF8.self)
                #expect(text.hasPrefix("HTTP/1.1 200 "), "\(text)")
                #expect(text.lowercased().contains("content-length: 15"), "\(text)")
                #expect(text.hasSuffix("\r\n\r\n"), "a body followed the head: \(text)")
            }
        }
    }

    /// Posts a small request with `headers` on a new connection and hands
    /// `body` the connection and the answer, once it is read as a 200.
    private static func withAnswer(
        to headers: [String], from proxy: ProxyHarness,
        _ body: (RawClientConnection, RawClientConnection.Response) async throws -> Void
    ) async throws {
        proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
        try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
            try await connection.write(
                RawClientConnection.request(
                    "POST", "/v1/messages", body: ProxyHarness.messages().serializedString(), headers: headers))
            let answer = try #require(try await connection.readResponse())
            #expect(answer.status == 200)
            try await body(connection, answer)
        }
    }
}
