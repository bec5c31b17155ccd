import Foundation

/// When a subscription backend's usage limit resets, as its answer says.
enum UsageLimitReset {
    /// Whole seconds from `now` until `resets`, 0 when it has passed; nil
    /// for a time over 68 years from now either way, or not a number,
    /// which only a garbled answer gives (as an `Int` it trapped, and no
    /// client can wait for it).
    static func wait(until resets: Date, from now: Date) -> Int? {
        let seconds = resets.timeIntervalSince(now).rounded(.up)
        guard abs(seconds) <= Double(Int32.max) else { return nil }
        return max(0, Int(seconds))
    }
}
