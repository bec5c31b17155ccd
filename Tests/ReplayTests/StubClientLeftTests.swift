import AsyncHTTPClient
import Cassette
import NIOConcurrencyHelpers
import NIOCore
import Replay
import TestSupport
import Testing
import Wire

/// An exchange whose client hung up mid-answer: the proxy cancelled the
/// upstream request there, so the recording stops where the client left.
/// The stub holds the connection after it, as the upstream did, rather
/// than end or cut the stream, which gave the replaying client an error
/// the original never saw.
@Suite struct StubClientLeftTests {
    static let chunks = [
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
    ]

    /// An exchange the client left after the upstream's `chunks` came, or
    /// (`head: false`) before its head.
    /// `timedOut`: the proxy let the client go for reading none of its
    /// answer (a 408 at stage `client`) rather than the client hanging up.
    static func exchange(head: Bool = true, body: String? = nil, timedOut: Bool = false) -> Exchange {
        var events: [CassetteEvent] = [
            CassetteEvent(
                .upstreamRequest, exchange: "c", timeMicros: 10,
                fields: ["method": "POST", "url": "http://127.0.0.1:9/v1/messages", "body": ["n": 1]])
        ]
        if head {
            var fields: JSONObject = [
                "status": 200,
                "headers": ["content-type": .string(body == nil ? "text/event-stream" : "application/json")],
            ]
            if let body { fields["body"] = try? JSONValue(parsing: Array(body.utf8)) }
            events.append(CassetteEvent(.upstreamResponse, exchange: "c", timeMicros: 20, fields: fields))
            if body == nil {
                events += chunks.enumerated().map { index, text in
                    .upstreamChunk(exchange: "c", timeMicros: 30 + Int64(index), bytes: Array(text.utf8))
                }
            }
        }
        events += [
            .error(
                exchange: "c", timeMicros: 40, stage: .client, type: timedOut ? "timeout_error" : "client_cancelled",
                message: timedOut ? "the client sent or read nothing for 60 s" : "client closed the connection",
                status: timedOut ? 408 : 499),
            .end(
                exchange: "c", timeMicros: 41, outcome: timedOut ? .error : .clientCancelled, status: nil,
                durationMicros: 41, ttfbMicros: nil, usage: nil, droppedEvents: 0),
        ]
        return Exchange(id: "c", file: "c.jsonl", events: events)
    }

    @Test func aStreamTheClientLeftIsHeldAfterItsChunks() throws {
        let reply = try #require(StubReply(exchange: Self.exchange()))
        #expect(reply.status == 200)
        #expect(reply.chunks.map { String(decoding: $0.bytes, as: UTF8.self) } == Self.chunks)
        #expect(reply.clientLeft)
        #expect(reply.cutAfterChunks)
        #expect(reply.holdsConnection)
        #expect(!reply.timesOut)
    }

    /// A client the proxy let go for reading none of its stream: the
    /// upstream request was cancelled there, so the recorded stream stops
    /// where it did; ended cleanly there, the replay told the proxy the
    /// answer was complete.
    @Test func aStreamWhoseClientTimedOutIsHeldAfterItsChunks() throws {
        let reply = try #require(StubReply(exchange: Self.exchange(timedOut: true)))
        #expect(reply.chunks.map { String(decoding: $0.bytes, as: UTF8.self) } == Self.chunks)
        #expect(reply.clientLeft)
        #expect(reply.cutAfterChunks)
        #expect(reply.holdsConnection)
    }

    @Test func anUpstreamTheClientLeftBeforeItsHeadIsHeld() throws {
        let reply = try #require(StubReply(exchange: Self.exchange(head: false)))
        #expect(reply.status == nil)
        #expect(reply.clientLeft)
        #expect(reply.holdsConnection)
    }

    @Test func aBodyThatCameWholeIsServedWhole() throws {
        let reply = try #require(StubReply(exchange: Self.exchange(body: #"{"id":"m"}"#)))
        #expect(reply.chunks.map(\.bytes) == [Array(#"{"id":"m"}"#.utf8)])
        #expect(!reply.clientLeft)
        #expect(!reply.cutAfterChunks)
    }

    /// Over HTTP: the stub sends the recorded events, then neither ends nor
    /// cuts the stream, until the client hangs up; it lets the held reply
    /// go then (not at its shutdown), and goes on serving.
    @Test func overHTTPTheStreamIsHeldUntilTheClientHangsUp() async throws {
        // Another exchange, answered whole, to ask for after the hang-up.
        let answered = Exchange(
            id: "w", file: "w.jsonl",
            events: Self.exchange(body: #"{"id":"m"}"#).events.map { event in
                var event = event
                if event.knownKind == .upstreamRequest { event["body"] = ["n": 2] }
                return event
            })
        let stub = StubUpstream(exchanges: [Self.exchange(), answered], options: .init(speed: 0))
        let progress = NIOLockedValueBox<(status: Int?, text: String, ending: String?)>((nil, "", nil))
        let (next, hungUp) = try await stub.withRunning { port in
            // A client of its own, shut down after: nothing of it outlives the test.
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
                    request.method = .POST
                    request.body = .bytes(ByteBuffer(string: #"{"n":1}"#))
                    do {
                        let response = try await client.execute(request, timeout: testRequestTimeout)
                        progress.withLockedValue { $0.status = Int(response.status.code) }
                        for try await buffer in response.body {
                            progress.withLockedValue { $0.text += String(buffer: buffer) }
                        }
                        progress.withLockedValue { $0.ending = "the stream ended cleanly" }
                    } catch {
                        progress.withLockedValue { $0.ending = $0.ending ?? "failed: \(error)" }
                    }
                }
                let deadline = ContinuousClock.now + .seconds(60)
                while progress.withLockedValue({ $0.text.utf8.count < Self.chunks.joined().utf8.count }),
                    ContinuousClock.now < deadline
                {
                    try? await Task.sleep(for: .milliseconds(10))
                }
                // Held: a second on, nothing more came and the stream has not ended.
                try? await Task.sleep(for: .seconds(1))
                progress.withLockedValue { $0.ending = $0.ending ?? "still open" }
                // The client hangs up.
                group.cancelAll()
                try? await client.shutdown()
            }
            let hungUp = ContinuousClock.now
            return (
                try await StubUpstreamServerTests.post(port: port, path: "/v1/messages", body: #"{"n":2}"#), hungUp
            )
        }
        let seen = progress.withLockedValue { $0 }
        #expect(seen.status == 200)
        #expect(seen.text == Self.chunks.joined())
        #expect(seen.ending == "still open")
        #expect(next.status == 200)
        #expect(next.body == #"{"id":"m"}"#)
        // Let go at the hang-up: held until the stub's shutdown, it took its 5 s grace.
        let afterHangUp = ContinuousClock.now - hungUp
        #expect(afterHangUp < .seconds(4), "\(afterHangUp)")
    }
}
