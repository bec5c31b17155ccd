import Foundation
import Testing

@testable import Proxy

@Suite struct ServingTimeZoneTests {
    /// `proxy serve` makes UTC Foundation's default zone, so that a calendar
    /// made without one (Hummingbird's `Date` header's) never asks ICU for
    /// the machine's zone.
    @Test func makesUTCTheDefaultZone() {
        let before = NSTimeZone.default
        defer { NSTimeZone.default = before }
        NSTimeZone.default = TimeZone(secondsFromGMT: 3600) ?? before
        ServingTimeZone.useUTC()
        #expect(NSTimeZone.default.secondsFromGMT() == 0)
    }
}
