import Convert
import Wire

/// Why an attempt was given up for the next entry of a `fallback:` list,
/// recorded in the `route` line that starts the next attempt and shown in
/// the access line.
struct UpstreamFallback: Sendable {
    /// The model id of the attempt given up.
    var from: String
    /// Its upstream's status; nil when no answer came (a connect failure).
    var status: Int?
    /// The error the client would have got.
    var reason: String
    /// How long the proxy waited on the failed answer's `retry-after`.
    var waitedMillis: Int

    var json: JSONValue {
        [
            "from": .string(from), "status": status.map { .int(Int64($0)) } ?? .null, "reason": .string(reason),
            "waited_ms": .int(Int64(waitedMillis)),
        ]
    }

    /// `after main 429`, for the access line.
    var summary: String { "after \(from) \(status.map(String.init) ?? "unreachable")" }
}
