import Convert
import Foundation
import Logging
import Wire

/// When an entry's `fallback:` list is used, and what giving up an attempt
/// does: the upstream answered 429 or 5xx (529 included), or could not be
/// reached (502) or did not answer in time (504), or answered a stream whose
/// first event is such an error (``UpstreamCall/giveUpOnFirstEventError(_:sent:)``),
/// all before the first byte reached the client. A short `retry-after` (or `retry-after-ms`) is waited before the next
/// attempt, a long one is not (the next entry is another upstream, which
/// the first one's limit does not bind).
enum UpstreamFallbackPolicy {
    /// The longest `retry-after` waited before the next attempt.
    static let longestWait: Duration = .seconds(2)

    /// Whether `error`, from sending the request, moves on to the next entry.
    static func triggers(_ error: APIError) -> Bool {
        error.status == 429 || error.status >= 500
    }

    /// How long to wait before the next attempt after `error`: its
    /// `retry-after-ms` when it has one (the finer hint, which the official
    /// SDKs also read first), else its `retry-after` in seconds or as an
    /// HTTP date (the time from `now` until then); that long when it is at
    /// most ``longestWait``, else not at all.
    static func wait(after error: APIError, now: Date = Date()) -> Duration {
        if let millis = number(error.retryAfterMillis) { return wait(milliseconds: millis) }
        if let seconds = number(error.retryAfter) { return wait(milliseconds: seconds * 1000) }
        guard let date = httpDate(error.retryAfter) else { return .zero }
        return wait(milliseconds: date.timeIntervalSince(now) * 1000)
    }

    /// A header's number; nil for none, a date or anything else.
    private static func number(_ header: String?) -> Double? {
        header.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// RFC 9110's HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`), the other
    /// form `retry-after` takes; nil for anything else. Read only for a
    /// failed attempt, so a formatter made each time costs nothing that
    /// matters.
    private static func httpDate(_ header: String?) -> Date? {
        guard let header else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: header.trimmingCharacters(in: .whitespaces))
    }

    private static func wait(milliseconds: Double?) -> Duration {
        guard let milliseconds, milliseconds.isFinite, milliseconds > 0,
            // Compared before it is made a count: an upstream's `retry-after: 1e23` trapped, taking the
            // whole proxy down.
            milliseconds <= Double(longestWait.totalMilliseconds)
        else { return .zero }
        return .milliseconds(Int64(milliseconds.rounded(.up)))
    }

    /// Gives up the attempt on `entry`: waits a short `retry-after`, logs
    /// and records (as a `diagnostic` line) which entry comes next and why,
    /// and returns what the next `route` line says about it.
    /// - Parameter earlier: the attempt given up before this one, if any,
    ///   so the access line names every one.
    static func giveUp(
        _ entry: ModelEntry, error: APIError, upstreamStatus: Int?, next: String, earlier: UpstreamFallback?,
        exchange: Exchange, logger: Logger
    ) async throws -> UpstreamFallback {
        let wait = wait(after: error)
        if wait > .zero { try await Task.sleep(for: wait) }
        let waitedMillis = Int(wait.totalMilliseconds)
        var message = "\(error.message); falling back to `\(next)`"
        if waitedMillis > 0 { message += " after waiting \(waitedMillis) ms (retry-after)" }
        exchange.report([ConversionDiagnostic(severity: .warning, path: "fallback", message: message)], logger: logger)
        exchange.reportFallback()
        return UpstreamFallback(
            from: entry.modelID, status: upstreamStatus, timedOut: upstreamStatus == nil && error.status == 504,
            reason: error.message, waitedMillis: waitedMillis, earlierLegs: earlier.map { $0.legs } ?? [])
    }
}
