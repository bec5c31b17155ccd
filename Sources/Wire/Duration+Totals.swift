/// Durations as whole counts, for the proxy's timings and metrics and the
/// cassette recorder's settings and line times.
///
/// Held at `Int64`'s limits: a configured timeout of centuries is a valid
/// duration whose count in nanoseconds is not an `Int64`, and trapped on
/// the first request of its route.
extension Duration {
    /// The whole duration in nanoseconds, truncated. `components` is read
    /// once: each read divides a 128-bit count of attoseconds (~190
    /// instructions), and times are taken several times a request.
    public var totalNanoseconds: Int64 { whole(unitsPerSecond: 1_000_000_000) }

    /// The whole duration in milliseconds, truncated.
    public var totalMilliseconds: Int64 { whole(unitsPerSecond: 1000) }

    /// The whole duration in microseconds, truncated (a cassette line's `t_us`).
    public var totalMicroseconds: Int64 { whole(unitsPerSecond: 1_000_000) }

    @inline(__always)
    private func whole(unitsPerSecond: Int64) -> Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unitsPerSecond)
        // The attoseconds' part is under one second's units, with the seconds' sign: it can only carry
        // a sum already at the limit over it.
        let (total, carry) = scaled.addingReportingOverflow(attoseconds / (1_000_000_000_000_000_000 / unitsPerSecond))
        guard !overflow, !carry else { return seconds < 0 ? .min : .max }
        return total
    }
}
