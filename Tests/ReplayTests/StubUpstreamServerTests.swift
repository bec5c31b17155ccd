import AsyncHTTPClient
import Cassette
import Foundation
import NIOCore
import Replay
import TestSupport
import Testing
import Wire

/// The stub over real HTTP, in-process on 127.0.0.1 port 0.
@Suite struct StubUpstreamServerTests {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func post(port: Int, path: String, body: String) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headers, body: String(buffer: bytes))
    }

    static func recordedRequest(_ id: String) throws -> String {
        try #require(try RecordedSession.exchange(id).upstreamRequest?["body"]).serializedString()
    }

    static func stub(speed: Double = 0, strictOrder: Bool = false) throws -> StubUpstream {
        StubUpstream(exchanges: try RecordedSession.exchanges(), options: .init(speed: speed, strictOrder: strictOrder))
    }

    @Test func hitServesTheRecordedBytesAndHeaders() async throws {
        let body = try Self.recordedRequest(RecordedSession.okStream)
        let reply = try await Self.stub().withRunning { port in
            try await Self.post(port: port, path: "/v1/chat/completions", body: body)
        }
        let chunks = try RecordedSession.exchange(RecordedSession.okStream).upstreamChunks.compactMap {
            $0["text"]?.stringValue
        }
        #expect(reply.status == 200)
        #expect(reply.body == chunks.joined())
        #expect(reply.headers["content-type"] == "text/event-stream")
        #expect(reply.headers["x-request-id"] == "up-1")
    }

    @Test func aRecordedContentEncodingIsNotReplayed() async throws {
        // The proxy records bodies gzip-decoded, under the head's
        // `content-encoding: gzip`: replayed with it, the body would not inflate.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-gzip-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = RecordedSession.text.replacingOccurrences(
            of: #""x-request-id":"up-1""#, with: #""x-request-id":"up-1","content-encoding":"gzip""#)
        #expect(text != RecordedSession.text)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let exchanges = try CassetteLoader.load(paths: [path]).exchanges
        let body = try Self.recordedRequest(RecordedSession.okStream)
        let reply = try await StubUpstream(exchanges: exchanges, options: .init(speed: 0)).withRunning { port in
            try await Self.post(port: port, path: "/v1/chat/completions", body: body)
        }
        #expect(reply.status == 200)
        #expect(reply.headers["content-encoding"] == nil)
        #expect(reply.headers["x-request-id"] == "up-1")
        #expect(reply.body.hasPrefix("data: "))
    }

    @Test func keyOrderDoesNotMatter() async throws {
        let reply = try await Self.stub().withRunning { port in
            try await Self.post(
                port: port, path: "/v1/messages",
                body:
                    #"{"messages":[{"content":"It's 2+2?","role":"user"}],"max_tokens":50,"model":"claude-haiku-4-5-20251001"}"#
            )
        }
        #expect(reply.status == 200)
        #expect(reply.headers["content-length"] == String(reply.body.utf8.count))
        #expect(try JSONValue(parsing: reply.body)["usage"]?["cache_read_input_tokens"] == 7)
    }

    @Test func recordedErrorStatusIsReproduced() async throws {
        let body = try Self.recordedRequest(RecordedSession.rateLimited)
        let reply = try await Self.stub().withRunning { port in
            try await Self.post(port: port, path: "/v1/chat/completions", body: body)
        }
        #expect(reply.status == 429)
        #expect(reply.headers["retry-after"] == "7")
        #expect(reply.body == #"{"error":{"message":"Rate limit reached","type":"rate_limit_exceeded"}}"#)
    }

    @Test func cutStreamEndsWithABrokenConnectionAfterTheRecordedBytes() async throws {
        let body = try Self.recordedRequest(RecordedSession.cutStream)
        let received = try await Self.stub().withRunning { port -> (String, Bool) in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
            #expect(response.status.code == 200)
            var text = ""
            do {
                for try await buffer in response.body { text += String(buffer: buffer) }
                return (text, false)
            } catch {
                return (text, true)
            }
        }
        #expect(received.1, "the body must fail, not end cleanly")
        #expect(received.0.hasSuffix(#"data: {"id":"c9","choi"#))
    }

    @Test func refusedConnectionIsReproducedByClosingIt() async throws {
        let body = try Self.recordedRequest(RecordedSession.refused)
        let failed = try await Self.stub().withRunning { port in
            do {
                _ = try await Self.post(port: port, path: "/v1/chat/completions", body: body)
                return false
            } catch {
                return true
            }
        }
        #expect(failed)
    }

    /// A recorded timeout (504, no answer) is held silent: the client's own
    /// timeout fires, as the proxy's did, instead of a dropped connection.
    @Test func aRecordedTimeoutIsHeldUntilTheClientGivesUp() async throws {
        let exchange = Exchange(
            id: "t", file: "t.jsonl",
            events: [
                CassetteEvent(
                    .upstreamRequest, exchange: "t", timeMicros: 10,
                    fields: ["method": "POST", "url": "http://127.0.0.1:9/v1/messages", "body": ["n": 1]]),
                .error(
                    exchange: "t", timeMicros: 40, stage: .upstreamResponse, type: "api_error",
                    message: "upstream u timed out", status: 504),
            ])
        let started = ContinuousClock.now
        let error = try await StubUpstream(exchanges: [exchange], options: .init()).withRunning {
            port -> (any Error)? in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: #"{"n":1}"#))
            // A client of its own, shut down after: its connection closes, and the held reply ends.
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var failure: (any Error)?
            do {
                _ = try await client.execute(request, timeout: .seconds(1))
            } catch {
                failure = error
            }
            try await client.shutdown()
            return failure
        }
        #expect((error as? HTTPClientError) == .deadlineExceeded, "\(String(describing: error))")
        // And let go once the client closed, not held until the stub's shutdown grace.
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(4), "\(elapsed)")
    }

    @Test func missesName409Or404WithTheNearestRecording() async throws {
        let (conflict, notFound) = try await Self.stub().withRunning { port in
            let conflict = try await Self.post(
                port: port, path: "/v1/chat/completions",
                body: #"{"model":"deepseek-chat","max_tokens":1024,"messages":[{"role":"user","content":"again!"}]}"#)
            let notFound = try await Self.post(port: port, path: "/v1/embeddings", body: "{}")
            return (conflict, notFound)
        }
        #expect(conflict.status == 409)
        let nearest = try #require(try JSONValue(parsing: conflict.body)["nearest"])
        #expect(nearest["exchange"] == .string(RecordedSession.rateLimited))
        #expect(nearest["file"] == .string(RecordedSession.file))
        #expect(nearest["differences"]?[0]?["pointer"] == "/messages/0/content")
        #expect(notFound.status == 404)
        #expect(try JSONValue(parsing: notFound.body)["error"]?["type"] == "stub_upstream_miss")
    }

    @Test func identicalRequestsOverHTTPFollowRecordedOrder() async throws {
        let stub = StubUpstream(exchanges: try StubMatcherTests.exchanges(), options: .init(speed: 0))
        let hi = #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#
        let bodies = try await stub.withRunning { port in
            var bodies: [String] = []
            for _ in 0..<4 {
                bodies.append(try await Self.post(port: port, path: "/v1/chat/completions", body: hi).body)
            }
            return bodies
        }
        #expect(bodies == ["one", "two", "three", "three"])
    }
}

extension StubUpstreamServerTests {
    /// Each recorded chunk goes out as its own HTTP chunk, so a client that
    /// reads body parts sees every recorded boundary even at `--speed 0`
    /// (TCP may still split a large chunk further; it never joins two).
    @Test func hitKeepsRecordedChunkBoundaries() async throws {
        let events = try ConvertedExchange.streaming(id: "many", pieces: 13)
        let exchange = Exchange(id: "many", file: "many.jsonl", events: events)
        let recorded = exchange.upstreamChunks.compactMap(\.chunkBytes)
        let body = try #require(exchange.upstreamRequest?.bodyBytes)
        let parts = try await StubUpstream(exchanges: [exchange], options: .init(speed: 0)).withRunning { port in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
            var parts: [[UInt8]] = []
            for try await buffer in response.body { parts.append(Array(buffer: buffer)) }
            return parts
        }
        #expect(parts.joined().elementsEqual(recorded.joined()))
        let partEnds = Set(parts.reduce(into: [Int]()) { ends, part in ends.append((ends.last ?? 0) + part.count) })
        let recordedEnds = recorded.reduce(into: [Int]()) { ends, chunk in ends.append((ends.last ?? 0) + chunk.count) }
        #expect(recordedEnds.count == 13)
        #expect(recordedEnds.filter { !partEnds.contains($0) } == [], "recorded boundaries a body part spans")
    }
}
