import Foundation
import Wire

/// Timeouts in the config: a number of seconds (`600`, `2.5`) or a number
/// with a unit (`500ms`, `30s`, `10m`).
enum DurationLiteral {
    /// The duration, or nil when `text` is not one or is not positive.
    static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, seconds) in units where trimmed.hasSuffix(suffix) {
            return duration(String(trimmed.dropLast(suffix.count)), unitSeconds: seconds)
        }
        return duration(trimmed, unitSeconds: 1)
    }

    /// The shortest literal ``parse(_:)`` reads back as `duration`:
    /// `10m`, `30s`, `1500ms`.
    static func text(_ duration: Duration) -> String {
        let milliseconds = duration.totalMilliseconds
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }

    private static func duration(_ digits: String, unitSeconds: Double) -> Duration? {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }),
            let number = Double(digits), number > 0,
            // Past Int64's milliseconds (292 million years) it is no duration: made one, it trapped.
            number * unitSeconds * 1000 < 9e18
        else { return nil }
        return .milliseconds(Int64((number * unitSeconds * 1000).rounded()))
    }

    /// `ms` before `s` and `m`, so the longer unit is matched first.
    private static let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
}
