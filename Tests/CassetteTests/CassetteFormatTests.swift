import Foundation
import Testing

@testable import Cassette

@Suite struct CassetteFormatTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z", "19700101-000000"),
        (981_173_106.007_5, "2001-02-03T04:05:06.007Z", "20010203-040506"),
        (1_795_346_999.999_5, "2026-11-22T11:29:59.999Z", "20261122-112959"),
        (253_402_300_799.5, "9999-12-31T23:59:59.500Z", "99991231-235959"),
    ])
    func timesAreUTCWithZeroPaddedFields(seconds: Double, iso8601: String, fileStamp: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(CassetteFormat.iso8601(date) == iso8601)
        #expect(CassetteFormat.fileStamp(date) == fileStamp)
    }

    @Test func aYearPastFourDigitsKeepsEveryDigit() {
        let date = Date(timeIntervalSince1970: 253_402_300_800)  // 10000-01-01
        #expect(CassetteFormat.iso8601(date) == "10000-01-01T00:00:00.000Z")
    }
}
