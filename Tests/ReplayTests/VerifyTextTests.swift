import Foundation
import Testing
import Wire

@testable import Replay

/// `verify`'s terminal lines show enough of a differing value to see the
/// difference: a sentence whole, and a long value from where it differs.
@Suite struct VerifyTextTests {
    private static func text(expected: String, actual: String) -> String {
        let difference = VerifyDifference(
            leg: "client_response", pointer: "/content/0/text", expected: .string(expected), actual: .string(actual))
        let result = ExchangeVerification(
            exchangeID: "x1", file: "f.jsonl", skipped: nil, differences: [difference], replayed: .init())
        return VerifyReport(results: [result]).text()
    }

    @Test func aValueOfAFewHundredCharactersIsShownWhole() {
        let expected = String(repeating: "The answer is long. ", count: 14) + "It ends here."
        let actual = String(repeating: "The answer is long. ", count: 14) + "It ends there."
        let text = Self.text(expected: expected, actual: actual)
        #expect(text.contains("expected \"\(expected)\", actual \"\(actual)\""), "\(text)")
    }

    @Test func longValuesThatDifferLateShowWhereTheyDiffer() {
        let start = String(repeating: "a", count: 3000)
        let text = Self.text(expected: start + "EXPECTED" + start, actual: start + "ACTUAL" + start)
        let line = text.split(separator: "\n")[1]
        let parts = line.components(separatedBy: ", actual ")
        #expect(parts.count == 2, "\(line)")
        #expect(parts[0].contains("aEXPECTEDa") && parts[1].contains("aACTUALa"), "\(line)")
        #expect(line.count < 1000, "\(line.count) characters")
    }
}
