import Testing
import Wire

/// A duration's whole counts, truncated, and held at `Int64`'s limits (a
/// configured timeout of centuries trapped on its route's first request).
@Suite struct DurationTotalsTests {
    @Test func wholeCountsAreTruncated() {
        let duration = Duration.seconds(2) + .nanoseconds(1_234_567)
        #expect(duration.totalNanoseconds == 2_001_234_567)
        #expect(duration.totalMicroseconds == 2_001_234)
        #expect(duration.totalMilliseconds == 2001)
        let negative = Duration.zero - duration
        #expect(negative.totalNanoseconds == -2_001_234_567)
        #expect(negative.totalMilliseconds == -2001)
    }

    @Test func countsPastInt64AreHeldAtItsLimits() {
        let centuries = Duration.seconds(10_000_000_000)
        #expect(centuries.totalNanoseconds == .max)
        #expect(centuries.totalMicroseconds == 10_000_000_000_000_000)
        #expect((Duration.zero - centuries).totalNanoseconds == .min)
        #expect(Duration.seconds(Int64.max).totalMilliseconds == .max)
    }
}
