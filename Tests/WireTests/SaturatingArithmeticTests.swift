import Testing
import Wire

/// Numbers from outside are added and subtracted at the type's limits
/// instead of trapping.
@Suite struct SaturatingArithmeticTests {
    @Test func sumsAndDifferencesAreHeldAtTheLimits() {
        #expect(Int.max.addingSaturated(1) == .max)
        #expect(Int.min.addingSaturated(-1) == .min)
        #expect(2.addingSaturated(3) == 5)
        #expect(Int64.min.subtractingSaturated(1) == .min)
        #expect(Int64.max.subtractingSaturated(-1) == .max)
        #expect(Int64(5).subtractingSaturated(7) == -2)
    }
}
