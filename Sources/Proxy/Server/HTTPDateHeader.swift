import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `Date` header every answer carries (RFC 9110 section 6.6.1: an origin
/// with a clock sends one), as an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37
/// GMT`. Made once a second and shared by every connection, as
/// Hummingbird's `Application` did with its date cache; English names by
/// table, since `strftime`'s follow the C locale.
final class HTTPDateHeader: Sendable {
    /// The one every ``ExchangeChannel`` uses.
    static let shared = HTTPDateHeader()

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private let last = NIOLockedValueBox<(second: time_t, text: String)>((-1, ""))

    /// Now's header value.
    func value() -> String {
        let now = time(nil)
        if let text = last.withLockedValue({ $0.second == now ? $0.text : nil }) {
            return text
        }
        let text = Self.format(now)
        last.withLockedValue { $0 = (now, text) }
        return text
    }

    /// `seconds` since the epoch as an IMF-fixdate.
    static func format(_ seconds: time_t) -> String {
        var time = seconds
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "" }
        func twoDigits(_ value: Int32) -> String {
            value < 10 ? "0\(value)" : "\(value)"
        }
        let year = Int(parts.tm_year) + 1900
        return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(year) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }
}
