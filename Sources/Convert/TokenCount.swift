/// Arithmetic on the token counts an upstream reports, held at `Int`'s
/// limits: the numbers are the upstream's, and an absurd one (near `Int`'s
/// limits) must give an absurd count, not trap and end the process.
enum TokenCount {
    /// `total - cached`, at least 0: the input tokens not read from a cache.
    static func uncached(_ total: Int, cached: Int) -> Int {
        let (difference, overflow) = total.subtractingReportingOverflow(cached)
        if overflow { return cached < 0 ? .max : 0 }
        return max(difference, 0)
    }

    /// `first + second`.
    static func sum(_ first: Int, _ second: Int) -> Int {
        let (total, overflow) = first.addingReportingOverflow(second)
        if overflow { return second < 0 ? .min : .max }
        return total
    }
}
