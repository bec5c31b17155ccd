/// Arithmetic held at the type's limits, for numbers that come from
/// outside (an upstream's token counts, a cassette's times and counters):
/// an absurd one must give an absurd result, not trap and end the process.
extension FixedWidthInteger where Self: SignedInteger {
    /// `self + other`, or the limit it passes.
    @inlinable public func addingSaturated(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other < 0 ? .min : .max
    }

    /// `self - other`, or the limit it passes.
    @inlinable public func subtractingSaturated(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }
}
