/// One request through the proxy, from the client's first byte to the
/// last byte of the answer: its id and its clock.
final class Exchange: Sendable {
    /// Sent as `request-id`, recorded as the cassette's `x`.
    let id: String
    let startedAt: ContinuousClock.Instant

    init(id: String, startedAt: ContinuousClock.Instant = .now) {
        self.id = id
        self.startedAt = startedAt
    }

    /// Microseconds since the exchange began (`t_us`).
    var elapsedMicros: Int64 {
        let elapsed = ContinuousClock.now - startedAt
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }
}
