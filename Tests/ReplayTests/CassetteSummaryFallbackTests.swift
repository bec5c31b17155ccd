import Cassette
import Replay
import Testing
import Wire

/// An exchange whose route used its `fallback:` list is counted under the
/// upstream that answered, and its path through the entries has a table of
/// its own.
@Suite struct CassetteSummaryFallbackTests {
    /// An exchange of `legs`: each a route entry, its upstream, and the
    /// status its upstream answered (nil: none came).
    static func exchange(_ id: String, legs: [(entry: String, upstream: String, status: Int?)]) -> Exchange {
        var events: [CassetteEvent] = []
        for (index, leg) in legs.enumerated() {
            var route: JSONObject = ["model_id": .string(leg.entry), "upstream": .string(leg.upstream)]
            if index > 0 {
                let failed = legs[index - 1]
                route["fallback"] = [
                    "from": .string(failed.entry), "status": failed.status.map { .int(Int64($0)) } ?? .null,
                    "reason": "upstream failed", "waited_ms": 0,
                ]
            }
            events.append(.init(.route, exchange: id, timeMicros: Int64(index), fields: route))
            if let status = leg.status {
                events.append(
                    .init(
                        .upstreamResponse, exchange: id, timeMicros: Int64(index),
                        fields: ["status": .int(Int64(status))]))
            }
        }
        return Exchange(id: id, file: "f", events: events)
    }

    @Test func theAnsweringUpstreamIsCountedAndEachPathListed() {
        let exchanges = [
            Self.exchange("x1", legs: [("main", "https://a.example/v1", 200)]),
            Self.exchange(
                "x2", legs: [("main", "https://a.example/v1", 429), ("backup", "https://b.example/v1", 200)]),
            Self.exchange(
                "x3", legs: [("dead", "https://c.example/v1", nil), ("backup", "https://b.example/v1", 200)]),
        ]
        let summary = CassetteSummary(exchanges: exchanges, set: CassetteSet(exchanges: exchanges))
        #expect(
            summary.byUpstream == [
                .init(label: "https://b.example/v1", count: 2), .init(label: "https://a.example/v1", count: 1),
            ])
        #expect(
            summary.fallbacks == [
                .init(label: "dead unreachable -> backup", count: 1), .init(label: "main 429 -> backup", count: 1),
            ])
        #expect(
            summary.text.contains(
                """

                By upstream:
                  https://b.example/v1  2
                  https://a.example/v1  1

                Fallbacks:
                  dead unreachable -> backup  1
                  main 429 -> backup          1

                """))
    }

    /// With no fallback in the cassette, no table.
    @Test func noFallbackNoTable() {
        let exchanges = [Self.exchange("x1", legs: [("main", "https://a.example/v1", 200)])]
        let summary = CassetteSummary(exchanges: exchanges, set: CassetteSet(exchanges: exchanges))
        #expect(summary.fallbacks.isEmpty)
        #expect(!summary.text.contains("Fallbacks"))
    }
}
