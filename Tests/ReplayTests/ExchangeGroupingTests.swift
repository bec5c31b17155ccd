import Cassette
import Replay
import Testing
import Wire

@Suite struct ExchangeGroupingTests {
    @Test func interleavedLinesGroupByExchangeInFirstSeenOrder() {
        let events: [CassetteEvent] = [
            CassetteEvent(.cassette, exchange: nil, timeMicros: nil, fields: ["version": 1]),
            CassetteEvent(
                .clientRequest, exchange: "b", timeMicros: 0, fields: ["method": "POST", "path": "/v1/messages"]),
            CassetteEvent(.clientRequest, exchange: "a", timeMicros: 0, fields: ["method": "GET", "path": "/health"]),
            CassetteEvent(.route, exchange: "b", timeMicros: 5, fields: ["model_id": "m"]),
            CassetteEvent(.upstreamChunk, exchange: "b", timeMicros: 9, fields: ["text": "one"]),
            CassetteEvent(.clientResponse, exchange: "a", timeMicros: 3, fields: ["status": 200]),
            CassetteEvent(.upstreamChunk, exchange: "b", timeMicros: 12, fields: ["text": "two"]),
            CassetteEvent(kind: "blob", exchange: "b", timeMicros: 13, fields: ["sha": "x"]),
            CassetteEvent(.end, exchange: "a", timeMicros: 4, fields: ["status": 200]),
        ]
        let exchanges = Exchange.group(events, file: "f.jsonl")
        #expect(exchanges.map(\.id) == ["b", "a"])
        let b = exchanges[0]
        #expect(b.clientRequest?["path"] == "/v1/messages")
        #expect(b.route?["model_id"] == "m")
        #expect(b.upstreamChunks.map { $0["text"] } == ["one", "two"])
        #expect(b.upstreamRequest == nil)
        #expect(b.upstreamResponse == nil)
        #expect(b.end == nil)
        #expect(b.events.count == 5, "unknown kinds stay in the exchange's lines")
        let a = exchanges[1]
        #expect(a.status == 200)
        #expect(a.end?.timeMicros == 4)
        #expect(a.file == "f.jsonl")
    }

    @Test func sessionLegsAndFacts() throws {
        let stream = try RecordedSession.exchange(RecordedSession.okStream)
        #expect(stream.endpoint == "/v1/messages")
        #expect(stream.query == "beta=true")
        #expect(stream.model == "claude-sonnet-4-5")
        #expect(stream.upstream == "https://api.deepseek.com/v1")
        #expect(stream.status == 200)
        #expect(stream.isStreaming)
        #expect(stream.clientEvents.count == 6)
        #expect(stream.upstreamChunks.count == 2)
        #expect(!stream.isFailure)

        let refused = try RecordedSession.exchange(RecordedSession.refused)
        #expect(refused.upstreamResponse == nil)
        #expect(refused.status == 502)
        #expect(refused.isFailure)

        let cut = try RecordedSession.exchange(RecordedSession.cutStream)
        #expect(cut.status == 200)
        #expect(cut.streamEndedWithError)

        let bad = try RecordedSession.exchange(RecordedSession.badRequest)
        #expect(bad.route == nil)
        #expect(bad.model == nil)
        #expect(
            bad.requestBodyBytes.map { String(decoding: $0, as: UTF8.self) }
                == #"{"model": "claude-sonnet-4-5", "messages": ["#)
    }

    /// A stream cut by a kill -9 has no `end` line: its client got a
    /// truncated answer under a 200, and `--errors-only` left it out.
    @Test func anExchangeWithoutAnEndLineIsAFailure() {
        let events = [
            CassetteEvent(
                .clientRequest, exchange: "x", timeMicros: 0, fields: ["method": "POST", "path": "/v1/messages"]),
            CassetteEvent(.clientResponse, exchange: "x", timeMicros: 1, fields: ["status": 200]),
            CassetteEvent(
                .clientEvent, exchange: "x", timeMicros: 2, fields: ["event": "ping", "data": ["type": "ping"]]),
        ]
        let exchange = Exchange.group(events, file: "f")[0]
        #expect(exchange.status == 200)
        #expect(exchange.isFailure)
        #expect(ExchangeFilter(errorsOnly: true).matches(exchange))
        #expect(exchange.exportObject["failure"] == true)
        #expect(exchange.exportObject["incomplete"] == true)
        var tally = CassetteSummaryTally()
        tally.add(exchange)
        #expect(
            tally.summary(fileCount: 1, tornTails: []).errorsByStageAndType == [
                .init(label: "- / no end line", count: 1)
            ])
    }

    @Test func aStreamWithOnlyAnErrorLineIsStillAFailure() {
        let events = [
            CassetteEvent(
                .clientRequest, exchange: "x", timeMicros: 0, fields: ["method": "POST", "path": "/v1/messages"]),
            CassetteEvent(.error, exchange: "x", timeMicros: 1, fields: ["stage": "route", "type": "not_found_error"]),
        ]
        let exchange = Exchange.group(events, file: "f")[0]
        #expect(exchange.status == nil)
        #expect(exchange.isFailure)
    }
}
