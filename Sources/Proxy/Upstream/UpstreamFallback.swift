import Convert
import Wire

/// Why an attempt was given up for the next entry of a `fallback:` list,
/// recorded in the `route` line that starts the next attempt and shown in
/// the access line.
struct UpstreamFallback: Sendable {
    /// The model id of the attempt given up.
    var from: String
    /// Its upstream's status, or for a stream whose first event was an
    /// error, the status that error maps to; nil when no answer came (a
    /// connect failure, or no answer within the route's `timeout`).
    var status: Int?
    /// No answer came within the route's `timeout`.
    var timedOut: Bool
    /// The error the client would have got.
    var reason: String
    /// How long the proxy waited on the failed answer's `retry-after`.
    var waitedMillis: Int
    /// The attempts given up before this one, as ``legs`` says them.
    var earlierLegs: [String]

    var json: JSONValue {
        [
            "from": .string(from), "status": status.map { .int(Int64($0)) } ?? .null, "reason": .string(reason),
            "waited_ms": .int(Int64(waitedMillis)),
        ]
    }

    /// Every attempt given up so far, oldest first: `main 429`,
    /// `second timed out`, `backup unreachable`.
    var legs: [String] {
        earlierLegs + ["\(from) \(status.map(String.init) ?? (timedOut ? "timed out" : "unreachable"))"]
    }

    /// `after main 429, second 500`, for the access line.
    var summary: String { "after " + legs.joined(separator: ", ") }
}
