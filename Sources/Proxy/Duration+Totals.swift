extension Duration {
    /// The whole duration in nanoseconds, truncated. `components` is read
    /// once: each read divides a 128-bit count of attoseconds (~190
    /// instructions), and times are taken several times a request.
    var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The whole duration in milliseconds, truncated.
    var totalMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The whole duration in microseconds, truncated (a cassette line's `t_us`).
    var totalMicroseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
