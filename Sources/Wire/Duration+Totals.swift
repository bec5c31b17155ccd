/// Durations as whole counts, for the proxy's timings and metrics and the
/// cassette recorder's settings and line times.
extension Duration {
    /// The whole duration in nanoseconds, truncated. `components` is read
    /// once: each read divides a 128-bit count of attoseconds (~190
    /// instructions), and times are taken several times a request.
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The whole duration in milliseconds, truncated.
    public var totalMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The whole duration in microseconds, truncated (a cassette line's `t_us`).
    public var totalMicroseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
