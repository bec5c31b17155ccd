import Cassette
import Replay
import Testing
import Wire

/// `onMiss: .nearest`: a request nothing matches gets the nearest recording
/// with the same method, path and `stream` flag.
@Suite struct StubNearestTests {
    /// A streamed and a whole answer on chat completions, and one on another path.
    static func exchanges() throws -> [Exchange] {
        func exchange(_ id: String, path: String = "/v1/chat/completions", body: String) throws -> Exchange {
            Exchange(
                id: id, file: "near.jsonl",
                events: [
                    CassetteEvent(
                        .upstreamRequest, exchange: id, timeMicros: 10,
                        fields: [
                            "method": "POST", "url": .string("http://127.0.0.1:9" + path),
                            "body": try JSONValue(parsing: body),
                        ]),
                    CassetteEvent(
                        .upstreamResponse, exchange: id, timeMicros: 20, fields: ["status": 200, "headers": [:]]),
                    CassetteEvent(.upstreamChunk, exchange: id, timeMicros: 30, fields: ["text": .string(id)]),
                ])
        }
        return [
            try exchange("whole", body: #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#),
            try exchange(
                "streamed",
                body: #"{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"#
                    + #""stream_options":{"include_usage":true}}"#),
            try exchange(
                "streamed-long",
                body: #"{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","#
                    + #""content":"yes"},{"role":"user","content":"more"}],"stream":true}"#),
            try exchange("embedding", path: "/v1/embeddings", body: #"{"model":"e","input":"hi"}"#),
        ]
    }

    static func matcher(_ onMiss: StubMissPolicy, strictOrder: Bool = false) throws -> StubMatcher {
        let stub = StubUpstream(exchanges: try exchanges())
        return StubMatcher(
            recordings: stub.recordings, ignoring: VolatileFields.requests, strictOrder: strictOrder, onMiss: onMiss)
    }

    /// The exchange a nearest decision serves, and the pointers it reports.
    func nearest(_ decision: StubMatcher.Decision) -> (id: String, pointers: [String])? {
        guard case .nearest(let recording, let differences) = decision else { return nil }
        return (recording.exchangeID, differences.map(\.pointer))
    }

    @Test func aStreamingMissGetsTheNearestStreamedRecording() throws {
        var matcher = try Self.matcher(.nearest)
        let body = #"{"model":"x","messages":[{"role":"user","content":"what?"}],"stream":true}"#
        let served = nearest(matcher.match(method: "POST", path: "/v1/chat/completions", body: Array(body.utf8)))
        #expect(served?.id == "streamed")
        #expect(served?.pointers == ["/messages/0/content", "/model", "/stream_options"])
    }

    @Test func aWholeMissGetsTheWholeRecordingEvenWhenAStreamedOneIsCloser() throws {
        var matcher = try Self.matcher(.nearest)
        // Closer to "streamed-long" in body, but it does not ask for a stream.
        let body =
            #"{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yes"},"#
            + #"{"role":"user","content":"more"}]}"#
        let served = nearest(matcher.match(method: "POST", path: "/chat/completions", body: Array(body.utf8)))
        #expect(served?.id == "whole")
    }

    @Test func theFewestDifferencesWinAmongTheSameKind() throws {
        var matcher = try Self.matcher(.nearest)
        let body =
            #"{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"no"},"#
            + #"{"role":"user","content":"more"}],"stream":true}"#
        let served = nearest(matcher.match(method: "POST", path: "/v1/chat/completions", body: Array(body.utf8)))
        #expect(served?.id == "streamed-long")
        #expect(served?.pointers == ["/messages/1/content"])
    }

    @Test func exactMatchesAreStillHits() throws {
        var matcher = try Self.matcher(.nearest)
        let body = #"{"messages":[{"content":"hi","role":"user"}],"model":"m"}"#
        guard
            case .hit(let recording, _, _) = matcher.match(
                method: "POST", path: "/v1/chat/completions",
                body: Array(body.utf8))
        else {
            Issue.record("expected a hit")
            return
        }
        #expect(recording.exchangeID == "whole")
    }

    @Test func anotherPathOrAnUnrecordedKindIsStillRejected() throws {
        var matcher = try Self.matcher(.nearest)
        guard case .miss(let path) = matcher.match(method: "POST", path: "/v1/completions", body: Array("{}".utf8))
        else {
            Issue.record("a path nothing recorded must miss")
            return
        }
        #expect(path.status == 404)
        let streamedEmbedding = #"{"model":"e","input":"hi","stream":true}"#
        guard
            case .miss(let kind) = matcher.match(
                method: "POST", path: "/v1/embeddings", body: Array(streamedEmbedding.utf8))
        else {
            Issue.record("no streamed embedding was recorded, so it must miss")
            return
        }
        #expect(kind.status == 409)
        #expect(kind.nearest?.exchangeID == "embedding")
    }

    @Test func rejectIsTheDefault() throws {
        #expect(StubUpstream.Options().onMiss == .reject)
        var matcher = try Self.matcher(.reject)
        let body = #"{"model":"x","messages":[{"role":"user","content":"what?"}],"stream":true}"#
        guard case .miss(let miss) = matcher.match(method: "POST", path: "/v1/chat/completions", body: Array(body.utf8))
        else {
            Issue.record("reject must not serve a miss")
            return
        }
        #expect(miss.status == 409)
        // Rejecting names the nearest by body alone (a tie: the earliest).
        #expect(miss.nearest?.exchangeID == "whole")
    }

    /// Under strict order only the next recording can be served, and serving
    /// it moves on.
    @Test func strictOrderServesTheNextRecordingWhenItIsOfTheSameKind() throws {
        var matcher = try Self.matcher(.nearest, strictOrder: true)
        let whole = Array(#"{"model":"x","messages":[{"role":"user","content":"?"}]}"#.utf8)
        let streamed = Array(#"{"model":"x","messages":[{"role":"user","content":"?"}],"stream":true}"#.utf8)
        #expect(nearest(matcher.match(method: "POST", path: "/v1/chat/completions", body: whole))?.id == "whole")
        guard case .miss = matcher.match(method: "POST", path: "/v1/chat/completions", body: whole) else {
            Issue.record("the next recording streams; a whole request must miss")
            return
        }
        #expect(nearest(matcher.match(method: "POST", path: "/v1/chat/completions", body: streamed))?.id == "streamed")
    }
}
