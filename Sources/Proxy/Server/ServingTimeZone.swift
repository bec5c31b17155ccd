import Foundation

/// Foundation's default time zone in a serving process.
public enum ServingTimeZone {
    /// Makes UTC Foundation's default time zone, before anything asks for it.
    ///
    /// Hummingbird's `Date` header makes a Gregorian calendar, which takes
    /// the default time zone before it is set to GMT; left alone, the default
    /// is the machine's zone, which Foundation names through ICU's time zone
    /// tables (about 1.3 MB of an idle proxy's resident memory, loaded only
    /// for that). Nothing the proxy writes depends on Foundation's local
    /// zone: dates it formats are UTC (ISO 8601 with `Z`, the HTTP `Date`),
    /// and its log lines take the local time from C's `localtime_r`, which
    /// this does not change.
    public static func useUTC() {
        NSTimeZone.default = .gmt
    }
}
