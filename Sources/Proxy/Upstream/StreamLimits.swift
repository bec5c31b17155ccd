import Convert

/// The bounds on one upstream stream, checked at each chunk: how long it
/// may run (the route's `max_stream_duration`), and how many bytes may
/// arrive without completing an event (``UpstreamCall/maxStreamEventBytes``),
/// which for an answer read whole (``readsWholeAnswer``) is its whole body.
///
/// Silence is bounded apart from these, by the route's `timeout`; so a
/// stream that never ends ends at most `max_stream_duration` plus `timeout`
/// after it began.
struct StreamLimits {
    let upstream: String
    let maxDuration: Duration
    let maxEventBytes: Int
    /// The upstream answered with one JSON body, read whole
    /// (``UpstreamStreamConverter/answersWhole(contentType:dialect:)``): it
    /// completes no event until it ends, so the bound is on the body, and
    /// its error says so rather than naming an event.
    var readsWholeAnswer = false
    private let startedAt = ContinuousClock.now
    private var pendingBytes = 0

    init(upstream: String, maxDuration: Duration, maxEventBytes: Int) {
        self.upstream = upstream
        self.maxDuration = maxDuration
        self.maxEventBytes = maxEventBytes
    }

    /// A chunk of `chunkBytes` arrived: the error that ends the stream when
    /// it broke a bound, else nil.
    mutating func check(chunkBytes: Int) -> APIError? {
        if ContinuousClock.now - startedAt > maxDuration {
            return APIError(
                status: 504, type: "api_error",
                message: "upstream \(upstream)'s stream ran longer than \(DurationLiteral.text(maxDuration)) "
                    + "(the route's max_stream_duration); the proxy ended it")
        }
        pendingBytes += chunkBytes
        if pendingBytes > maxEventBytes {
            let what =
                readsWholeAnswer
                ? "answered the streaming request with one JSON body larger than \(maxEventBytes >> 20) MiB; "
                    + "the proxy stopped reading it"
                : "sent an event larger than \(maxEventBytes >> 20) MiB; the proxy ended the stream"
            return APIError(status: 502, type: "api_error", message: "upstream \(upstream) \(what)")
        }
        return nil
    }

    /// The chunk completed at least one event: what is held is that much
    /// smaller (by at most one chunk less than is counted, which the bound
    /// allows for).
    mutating func eventsCompleted() {
        pendingBytes = 0
    }
}
