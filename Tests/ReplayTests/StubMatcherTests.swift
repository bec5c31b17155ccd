import Cassette
import Replay
import Testing
import Wire

@Suite struct StubMatcherTests {
    /// Three recordings of the same request (answered 1, 2, 3) and one other.
    static func exchanges() throws -> [Exchange] {
        func exchange(
            _ id: String, body: String, answer: String, path: String = "/v1/chat/completions"
        ) throws -> Exchange {
            Exchange(
                id: id, file: "copies.jsonl",
                events: [
                    CassetteEvent(
                        .upstreamRequest, exchange: id, timeMicros: 10,
                        fields: [
                            "method": "POST", "url": .string("https://api.example.com" + path),
                            "body": try JSONValue(parsing: body),
                        ]),
                    CassetteEvent(
                        .upstreamResponse, exchange: id, timeMicros: 20, fields: ["status": 200, "headers": [:]]),
                    CassetteEvent(.upstreamChunk, exchange: id, timeMicros: 30, fields: ["text": .string(answer)]),
                ])
        }
        return [
            try exchange(
                "x1", body: #"{"model":"m","messages":[{"role":"user","content":"hi"}],"user":"s1"}"#, answer: "one"),
            try exchange(
                "x2", body: #"{"messages":[{"content":"hi","role":"user"}],"model":"m","user":"s2"}"#, answer: "two"),
            try exchange(
                "other", body: #"{"model":"m","messages":[{"role":"user","content":"bye"}]}"#, answer: "other"),
            try exchange("x3", body: #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#, answer: "three"),
        ]
    }

    static func matcher(strictOrder: Bool = false) throws -> StubMatcher {
        let stub = StubUpstream(exchanges: try exchanges(), options: .init(strictOrder: strictOrder))
        return StubMatcher(recordings: stub.recordings, ignoring: VolatileFields.requests, strictOrder: strictOrder)
    }

    func answer(_ decision: StubMatcher.Decision) -> String? {
        guard case .hit(let recording, _, _) = decision else { return nil }
        return recording.reply.chunks.first.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test func identicalRequestsAreServedInRecordedOrderThenTheLastRepeats() throws {
        var matcher = try Self.matcher()
        let hi = Array(#"{"model":"m","user":"today","messages":[{"role":"user","content":"hi"}]}"#.utf8)
        let answers = (0..<5).map { _ in answer(matcher.match(method: "POST", path: "/v1/chat/completions", body: hi)) }
        #expect(answers == ["one", "two", "three", "three", "three"])
        let bye = Array(#"{"model":"m","messages":[{"role":"user","content":"bye"}]}"#.utf8)
        #expect(answer(matcher.match(method: "post", path: "/chat/completions", body: bye)) == "other")
    }

    @Test func bodyMissIs409WithThePathsThatDiffer() throws {
        var matcher = try Self.matcher()
        let body = Array(#"{"model":"m","messages":[{"role":"user","content":"hey"}]}"#.utf8)
        guard case .miss(let miss) = matcher.match(method: "POST", path: "/v1/chat/completions", body: body) else {
            Issue.record("expected a miss")
            return
        }
        #expect(miss.status == 409)
        #expect(miss.nearest?.exchangeID == "x1")
        #expect(miss.nearest?.file == "copies.jsonl")
        #expect(miss.differences == [.init(pointer: "/messages/0/content", expected: "hi", actual: "hey")])
        #expect(
            miss.body["nearest"]?["differences"] == [
                ["pointer": "/messages/0/content", "expected": "hi", "actual": "hey"]
            ])
        #expect(miss.body["nearest"]?["exchange"] == "x1")
    }

    @Test func pathMissIs404() throws {
        var matcher = try Self.matcher()
        guard case .miss(let miss) = matcher.match(method: "POST", path: "/v1/embeddings", body: Array("{}".utf8))
        else {
            Issue.record("expected a miss")
            return
        }
        #expect(miss.status == 404)
        #expect(miss.nearest != nil)
    }

    /// A miss is answered in the API its path speaks, so the proxy (or an
    /// SDK) pointed at the stub reads its message; `nearest` rides along.
    @Test(arguments: [
        ("/v1/messages", "anthropic", 404), ("/base/v1/responses", "openai", 404),
        ("/v1/chat/completions", "openai", 409),
        ("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "gemini", 404),
    ])
    func aMissIsAnsweredInThePathsDialect(path: String, shape: String, status: Int) throws {
        var matcher = try Self.matcher()
        let body = Array(#"{"model":"m","messages":[{"role":"user","content":"hey"}]}"#.utf8)
        guard case .miss(let miss) = matcher.match(method: "POST", path: path, body: body) else {
            Issue.record("expected a miss")
            return
        }
        #expect(miss.status == status)
        let error = try #require(miss.body["error"])
        #expect(error["message"]?.stringValue?.hasPrefix("stub-upstream miss: ") == true)
        #expect(miss.body["nearest"]?["exchange"] != nil)
        switch shape {
        case "anthropic":
            #expect(miss.body["type"] == "error")
            #expect(error["type"] == "stub_upstream_miss")
            #expect(error["code"] == nil)
        case "openai":
            #expect(miss.body["type"] == nil)
            #expect(error["type"] == "stub_upstream_miss")
            #expect(error["code"] == "stub_upstream_miss")
            #expect(error["param"] == .null)
        default:
            #expect(miss.body["type"] == nil)
            #expect(error["code"] == .int(Int64(status)))
            #expect(error["status"] == "NOT_FOUND")
        }
    }

    @Test func strictOrderServesOnlyTheNextRecording() throws {
        var matcher = try Self.matcher(strictOrder: true)
        let hi = Array(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#.utf8)
        let bye = Array(#"{"model":"m","messages":[{"role":"user","content":"bye"}]}"#.utf8)
        #expect(answer(matcher.match(method: "POST", path: "/v1/chat/completions", body: hi)) == "one")
        guard case .miss(let early) = matcher.match(method: "POST", path: "/v1/chat/completions", body: bye) else {
            Issue.record("bye is third, not second")
            return
        }
        #expect(early.status == 409)
        #expect(early.nearest?.exchangeID == "x2")
        #expect(answer(matcher.match(method: "POST", path: "/v1/chat/completions", body: hi)) == "two")
        #expect(answer(matcher.match(method: "POST", path: "/v1/chat/completions", body: bye)) == "other")
        #expect(answer(matcher.match(method: "POST", path: "/v1/chat/completions", body: hi)) == "three")
        guard case .miss(let done) = matcher.match(method: "POST", path: "/v1/chat/completions", body: hi) else {
            Issue.record("all were served")
            return
        }
        #expect(done.status == 404)
    }

    /// A recorded request sent out of turn is said to be out of sequence,
    /// naming where it is recorded and what comes next; it was a 404 "no
    /// recorded request for POST ..." when its path was not the next one's.
    @Test func strictOrderSaysARecordedRequestIsOutOfSequence() throws {
        let hi = #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#
        func exchange(_ id: String, path: String) throws -> Exchange {
            Exchange(
                id: id, file: "order.jsonl",
                events: [
                    CassetteEvent(
                        .upstreamRequest, exchange: id, timeMicros: 10,
                        fields: [
                            "method": "POST", "url": .string("https://api.example.com" + path),
                            "body": try JSONValue(parsing: hi),
                        ]),
                    CassetteEvent(
                        .upstreamResponse, exchange: id, timeMicros: 20, fields: ["status": 200, "headers": [:]]),
                    CassetteEvent(.upstreamChunk, exchange: id, timeMicros: 30, fields: ["text": .string(id)]),
                ])
        }
        let stub = StubUpstream(
            exchanges: [try exchange("a", path: "/v1/messages"), try exchange("b", path: "/v1/chat/completions")],
            options: .init(strictOrder: true))
        var matcher = StubMatcher(recordings: stub.recordings, ignoring: VolatileFields.requests, strictOrder: true)
        guard case .miss(let early) = matcher.match(method: "POST", path: "/v1/chat/completions", body: Array(hi.utf8))
        else {
            Issue.record("b is second")
            return
        }
        #expect(early.status == 409)
        #expect(
            early.reason
                == "out of sequence (--strict-order): it is recorded as request 2 of 2 (exchange b), but the next "
                + "in sequence is request 1, exchange a")
        #expect(early.nearest?.exchangeID == "a")
        #expect(answer(matcher.match(method: "POST", path: "/v1/messages", body: Array(hi.utf8))) == "a")
        guard case .miss(let again) = matcher.match(method: "POST", path: "/v1/messages", body: Array(hi.utf8)) else {
            Issue.record("a was served")
            return
        }
        #expect(
            again.reason
                == "out of sequence (--strict-order): it is recorded as request 1 of 2 (exchange a), served "
                + "already, but the next in sequence is request 2, exchange b")
        // Not recorded at all: the plain miss.
        let other = Array(#"{"model":"m"}"#.utf8)
        guard case .miss(let unknown) = matcher.match(method: "POST", path: "/v1/messages", body: other) else {
            Issue.record("never recorded")
            return
        }
        #expect(unknown.reason == "no recorded request for POST /v1/messages")
    }

    @Test func replyKeepsRecordedTimingAndDropsHopByHopHeaders() throws {
        let reply = try #require(StubReply(exchange: try RecordedSession.exchange(RecordedSession.okStream)))
        #expect(reply.status == 200)
        #expect(
            reply.headers == [
                .init(name: "content-type", value: "text/event-stream"), .init(name: "x-request-id", value: "up-1"),
            ])
        #expect(reply.headGapMicros == 149_800)
        #expect(reply.chunks.map(\.gapMicros) == [100, 29_900])
        #expect(reply.chunks.count == 2)
        #expect(!reply.cutAfterChunks)

        let cut = try #require(StubReply(exchange: try RecordedSession.exchange(RecordedSession.cutStream)))
        #expect(cut.cutAfterChunks)
        let refused = try #require(StubReply(exchange: try RecordedSession.exchange(RecordedSession.refused)))
        #expect(refused.status == nil)
        #expect(refused.headGapMicros == 1_180)
        #expect(StubReply(exchange: try RecordedSession.exchange(RecordedSession.badRequest)) == nil)
    }
}

@Suite struct StubTimingTests {
    @Test func gapsAreDividedBySpeedAndCapped() {
        #expect(StubUpstream(exchanges: [], options: .init(speed: 1)).delay(forMicros: 30_000) == .milliseconds(30))
        #expect(StubUpstream(exchanges: [], options: .init(speed: 10)).delay(forMicros: 30_000) == .milliseconds(3))
        #expect(StubUpstream(exchanges: [], options: .init(speed: 0)).delay(forMicros: 30_000) == nil)
        #expect(StubUpstream(exchanges: [], options: .init(speed: 1)).delay(forMicros: 0) == nil)
        let capped = StubUpstream(exchanges: [], options: .init(speed: 0.5, maxGap: .milliseconds(40)))
        #expect(capped.delay(forMicros: 30_000) == .milliseconds(40))
        #expect(capped.delay(forMicros: 10_000) == .milliseconds(20))
        // A gap near Int64's limit (a cassette's number) trapped when scaled back.
        #expect(StubUpstream(exchanges: [], options: .init(speed: 1)).delay(forMicros: .max) == .microseconds(9e18))
    }

    @Test func timesFarApartAndStatusesHTTPCannotCarryDoNotTrap() throws {
        func exchange(status: Int64, times: [Int64]) -> Exchange {
            Exchange(
                id: "x", file: "odd.jsonl",
                events: [
                    CassetteEvent(
                        .upstreamRequest, exchange: "x", timeMicros: times[0],
                        fields: ["method": "POST", "url": "http://127.0.0.1:9/v1/messages", "body": [:]]),
                    CassetteEvent(
                        .upstreamResponse, exchange: "x", timeMicros: times[1],
                        fields: ["status": .int(status), "headers": [:]]),
                    .upstreamChunk(exchange: "x", timeMicros: times[2], bytes: Array("a".utf8)),
                    .upstreamChunk(exchange: "x", timeMicros: times[3], bytes: Array("b".utf8)),
                ])
        }
        let far = try #require(StubReply(exchange: exchange(status: 200, times: [.min, 1, .max, .min])))
        #expect(far.headGapMicros == .max)
        #expect(far.chunks.map(\.gapMicros) == [.max - 1, 0])
        #expect(StubReply(exchange: exchange(status: 1000, times: [0, 1, 2, 3])) == nil)
        #expect(StubReply(exchange: exchange(status: 42, times: [0, 1, 2, 3])) == nil)
    }

    /// A recorded failure with no answer: a 504 (the proxy's timeout) is
    /// held silent, so the proxy times out again; anything else is a drop.
    /// A stream cut by a read timeout is held after its chunks.
    /// And the proxy's resend of a request whose connection dropped at once
    /// gets the same copy again, not the next.
    @Test func timeoutsAreHeldAndADropsResendIsTheSameCopy() throws {
        func failed(_ id: String, status: Int64, afterHead: Bool = false) -> Exchange {
            var events = [
                CassetteEvent(
                    .upstreamRequest, exchange: id, timeMicros: 10,
                    fields: ["method": "POST", "url": "http://127.0.0.1:9/v1/messages", "body": ["n": 1]])
            ]
            if afterHead {
                events.append(
                    CassetteEvent(
                        .upstreamResponse, exchange: id, timeMicros: 20, fields: ["status": 200, "headers": [:]]))
                events.append(.upstreamChunk(exchange: id, timeMicros: 30, bytes: Array("a".utf8)))
            }
            events.append(
                .error(
                    exchange: id, timeMicros: 40, stage: afterHead ? .upstreamStream : .upstreamResponse,
                    type: "api_error", message: "m", status: Int(status)))
            return Exchange(id: id, file: "f.jsonl", events: events)
        }
        #expect(StubReply(exchange: failed("t", status: 504))?.timesOut == true)
        #expect(StubReply(exchange: failed("d", status: 502))?.timesOut == false)
        let silent = try #require(StubReply(exchange: failed("s", status: 504, afterHead: true)))
        #expect(silent.cutAfterChunks && silent.timesOut)
        #expect(StubReply(exchange: failed("c", status: 502, afterHead: true))?.timesOut == false)

        let ok = Exchange(
            id: "ok", file: "f.jsonl",
            events: [
                CassetteEvent(
                    .upstreamRequest, exchange: "ok", timeMicros: 10,
                    fields: ["method": "POST", "url": "http://127.0.0.1:9/v1/messages", "body": ["n": 1]]),
                CassetteEvent(
                    .upstreamResponse, exchange: "ok", timeMicros: 20, fields: ["status": 200, "headers": [:]]),
                .upstreamChunk(exchange: "ok", timeMicros: 30, bytes: Array("ok".utf8)),
            ])
        let stub = StubUpstream(exchanges: [failed("d", status: 502), ok], options: .init())
        var matcher = StubMatcher(recordings: stub.recordings, ignoring: [])
        let body = Array(#"{"n":1}"#.utf8)
        let start = ContinuousClock.now
        func copy(at offset: Duration) -> Int? {
            guard
                case .hit(_, let copy, _) = matcher.match(
                    method: "POST", path: "/v1/messages", body: body, now: start + offset)
            else { return nil }
            return copy
        }
        // Dropped, resent at once (dropped again), then a client's retry later gets the next copy.
        #expect([copy(at: .zero), copy(at: .milliseconds(5)), copy(at: .seconds(2))] == [1, 1, 2])
        // A drop on a new connection is not resent by the proxy: the next request is the client's own.
        var fresh = StubMatcher(recordings: stub.recordings, ignoring: [])
        _ = fresh.match(method: "POST", path: "/v1/messages", body: body, now: start, reusedConnection: false)
        guard
            case .hit(_, let afterFresh, _) = fresh.match(
                method: "POST", path: "/v1/messages", body: body, now: start + .milliseconds(5))
        else {
            Issue.record("expected a hit")
            return
        }
        #expect(afterFresh == 2)
        var later = StubMatcher(recordings: stub.recordings, ignoring: [])
        _ = later.match(method: "POST", path: "/v1/messages", body: body, now: start)
        guard
            case .hit(_, let next, _) = later.match(
                method: "POST", path: "/v1/messages", body: body, now: start + .seconds(1))
        else {
            Issue.record("expected a hit")
            return
        }
        #expect(next == 2)
    }
}
