import Convert
import Foundation
import Logging
import Wire

/// When an entry's `fallback:` list is used, and what giving up an attempt
/// does: the upstream answered 429 or 5xx (529 included), or could not be
/// reached (502) or did not answer in time (504), all before the first byte
/// reached the client. A short `retry-after` is waited before the next
/// attempt, a long one is not (the next entry is another upstream, which
/// the first one's limit does not bind).
enum UpstreamFallbackPolicy {
    /// The longest `retry-after` waited before the next attempt.
    static let longestWait: Duration = .seconds(2)

    /// Whether `error`, from sending the request, moves on to the next entry.
    static func triggers(_ error: APIError) -> Bool {
        error.status == 429 || error.status >= 500
    }

    /// How long to wait for `retryAfter` (seconds, as a number): that long
    /// when it is at most ``longestWait``, else not at all.
    static func wait(retryAfter: String?) -> Duration {
        guard let text = retryAfter?.trimmingCharacters(in: .whitespaces), let seconds = Double(text),
            seconds.isFinite, seconds > 0,
            // Compared before it is made a count: an upstream's `retry-after: 1e23` trapped, taking the
            // whole proxy down.
            seconds * 1000 <= Double(longestWait.totalMilliseconds)
        else { return .zero }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// Gives up the attempt on `entry`: waits a short `retry-after`, logs
    /// and records (as a `diagnostic` line) which entry comes next and why,
    /// and returns what the next `route` line says about it.
    static func giveUp(
        _ entry: ModelEntry, error: APIError, upstreamStatus: Int?, next: String, exchange: Exchange,
        logger: Logger
    ) async throws -> UpstreamFallback {
        let wait = wait(retryAfter: error.retryAfter)
        if wait > .zero { try await Task.sleep(for: wait) }
        let waitedMillis = Int(wait.totalMilliseconds)
        var message = "\(error.message); falling back to `\(next)`"
        if waitedMillis > 0 { message += " after waiting \(waitedMillis) ms (retry-after)" }
        exchange.report([ConversionDiagnostic(severity: .warning, path: "fallback", message: message)], logger: logger)
        exchange.reportFallback()
        return UpstreamFallback(
            from: entry.modelID, status: upstreamStatus, reason: error.message, waitedMillis: waitedMillis)
    }
}
