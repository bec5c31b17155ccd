import Cassette
import Testing
import Wire

@testable import Proxy

/// `GET /v1/stats` adds up the upstreams' token counts: absurd ones are held
/// at `Int`'s limit, and the proxy keeps serving.
@Suite struct UsageStatsTests {
    @Test func countsAreAddedPerRouteAndInTotal() {
        let stats = UsageStats()
        stats.add(route: "a", outcome: .ok, usage: TokenUsage(["input_tokens": 10, "output_tokens": 2]))
        stats.add(route: "a", outcome: .error, usage: TokenUsage(nil))
        stats.add(route: "b", outcome: .ok, usage: TokenUsage(["input_tokens": 5, "cache_read_input_tokens": 7]))
        #expect(stats.json["routes"]?["a"]?["requests"] == 2)
        #expect(stats.json["routes"]?["a"]?["errors"] == 1)
        #expect(stats.json["total"]?["input_tokens"] == 15)
        #expect(stats.json["total"]?["cache_read_input_tokens"] == 7)
    }

    @Test func countsAtIntsLimitAreHeldThere() {
        let stats = UsageStats()
        for route in ["a", "a", "b"] {
            stats.add(route: route, outcome: .ok, usage: TokenUsage(["input_tokens": .int(.max), "output_tokens": 1]))
        }
        #expect(stats.json["routes"]?["a"]?["input_tokens"] == .int(.max))
        #expect(stats.json["total"]?["input_tokens"] == .int(.max))
        #expect(stats.json["total"]?["output_tokens"] == 3)
    }

    /// A client that went away is not the route's failure, and an attempt
    /// given up for a fallback is counted apart from the exchanges.
    @Test func cancellationsAndFallbacksAreCountedApart() {
        let stats = UsageStats()
        stats.add(route: "a", outcome: .clientCancelled, usage: TokenUsage(nil))
        stats.add(route: "a", outcome: .error, usage: TokenUsage(nil))
        stats.addFallback(route: "a")
        let a = stats.json["routes"]?["a"]
        #expect(a?["requests"] == 2)
        #expect(a?["errors"] == 1)
        #expect(a?["cancelled"] == 1)
        #expect(a?["fallbacks"] == 1)
        #expect(stats.json["total"]?["fallbacks"] == 1)
    }
}
