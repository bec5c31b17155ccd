import Foundation

/// Ids for exchanges: sent to the client as `request-id` and written as `x`
/// in the cassette. Time first (so ids sort by start) then random bits (so
/// two proxies, or two requests in the same microsecond, never collide).
enum ExchangeID {
    static func make() -> String {
        let micros = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        let random = UInt64.random(in: 0...UInt64.max)
        return "req_" + hex(micros, digits: 14) + hex(random, digits: 16)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
