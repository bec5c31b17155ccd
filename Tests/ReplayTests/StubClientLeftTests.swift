import Cassette
import Replay
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
    static func exchange(head: Bool = true, body: String? = nil) -> Exchange {
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
                exchange: "c", timeMicros: 40, stage: .client, type: "client_cancelled",
                message: "client closed the connection", status: 499),
            .end(
                exchange: "c", timeMicros: 41, outcome: .clientCancelled, status: nil, durationMicros: 41,
                ttfbMicros: nil, usage: nil, droppedEvents: 0),
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
}
