import Foundation

/// Times as cassettes and the command line write them.
public enum ReplayTime {
    /// Parses ISO 8601 with or without fractional seconds, with a zone (`Z`
    /// or an offset) or without one (then UTC), or a bare date (midnight UTC).
    public static func parseISO8601(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for candidate in [trimmed, trimmed + "Z", trimmed + "T00:00:00Z"] {
            if let date = try? Date(candidate, strategy: .iso8601) { return date }
            if let date = try? Date(candidate, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
                return date
            }
        }
        return nil
    }

    /// Parses `--since`: an ISO 8601 time (see ``parseISO8601(_:)``), or a
    /// span back from `now`: a number followed by `s`, `m`, `h` or `d`
    /// (`90s`, `10m`, `2h`, `7d`).
    public static func parseSince(_ text: String, now: Date = Date()) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = text.last, let seconds = units[unit], let amount = Double(text.dropLast()), amount >= 0 {
            return now.addingTimeInterval(-amount * seconds)
        }
        return parseISO8601(text)
    }
}
