import Testing
import Wire

/// A number beyond a `Double`'s range is refused where it is read: taken as
/// infinity, it was written back as `null`, so a client's
/// `"temperature":1e999` reached the upstream as `null`.
@Suite struct JSONNumberRangeTests {
    static let tooLarge = "1" + String(repeating: "0", count: 309)

    @Test(arguments: ["1e999", "-1e999", "1.5E+400", "2e308", tooLarge, "-\(tooLarge).5"])
    func aNumberBeyondTheRangeIsRefused(number: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: number) }
        var reader = JSONReader(Array("[\(number)]".utf8))
        #expect(throws: JSONParseError.self) { try reader.skipValue() }
    }

    /// The largest finite numbers, and ones so small they underflow (to a
    /// value JSON can write), still read.
    @Test(arguments: [
        ("1.7976931348623157e308", 1.7976931348623157e308), ("-1e308", -1e308), ("1e-400", 0),
        (String(repeating: "9", count: 308), 1e308),
    ])
    func aNumberWithinTheRangeReads(number: String, value: Double) throws {
        #expect(try JSONValue(parsing: number).doubleValue == value)
    }

    @Test func theErrorNamesTheMemberAndWhere() {
        let text = #"{"model":"m","temperature":1e999}"#
        #expect {
            try JSONValue(parsing: text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.reason == #"number out of range (1e999 is beyond a 64-bit float) in "temperature""#
                && error.column == 28
        }
    }

    /// Only a member whose value is the number itself is named: within an
    /// array, the line and column say where it is.
    @Test func aNumberInANestedArrayIsNamedByItsMember() {
        #expect {
            try JSONValue(parsing: #"{"a":{"stop":[1,2e400]}}"#)
        } throws: { error in
            (error as? JSONParseError)?.reason == #"number out of range (2e400 is beyond a 64-bit float)"#
        }
    }

    @Test func aLongNumberIsShownShortened() {
        #expect {
            try JSONValue(parsing: Self.tooLarge)
        } throws: { error in
            (error as? JSONParseError)?.reason
                == "number out of range (10000000000000000000…0000000000 is beyond a 64-bit float)"
        }
    }
}
