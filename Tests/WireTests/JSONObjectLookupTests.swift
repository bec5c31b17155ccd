import Testing

@testable import Wire

/// Lookups find a key by its code units, as JSON compares names: a key that
/// is only canonically equivalent (and of another length) is another key.
@Suite struct JSONObjectLookupTests {
    @Test func findsSetsAndRemovesByExactKey() {
        var object: JSONObject = ["type": "text", "café": 1, "\u{212A}": "kelvin", "K": "k", "": "empty"]
        #expect(object["type"] == "text")
        #expect(object["café"] == 1)
        #expect(object["K"] == "k")
        #expect(object["\u{212A}"] == "kelvin")
        #expect(object[""] == "empty")
        #expect(object["typ"] == nil)
        #expect(object["types"] == nil)
        object["K"] = "changed"
        #expect(object["\u{212A}"] == "kelvin")
        #expect(object.removeValue(forKey: "\u{212A}") == "kelvin")
        #expect(object["K"] == "changed")
        #expect(object.keys == ["type", "café", "K", ""])
        // Keys of one length that differ, before and after a match.
        let same: JSONObject = ["ab": 1, "ac": 2, "ad": 3]
        #expect(same["ac"] == 2)
        #expect(same["ae"] == nil)
    }

    @Test func aRepeatedKeyIsFoundInSmallAndLargeObjects() {
        let small: JSONObject = ["model": "a", "stream": true, "model": "b"]
        #expect(small.repeatedKey == "model")
        #expect((["model": "a", "stream": true] as JSONObject).repeatedKey == nil)
        var large = JSONObject()
        for index in 0..<1_000 { large.append(key: "k\(index)", value: .int(Int64(index))) }
        #expect(large.repeatedKey == nil)
        large.append(key: "\u{212A}", value: 0)
        large.append(key: "K", value: 0)
        #expect(large.repeatedKey == nil, "only canonically equivalent: two keys")
        large.append(key: "k500", value: 0)
        #expect(large.repeatedKey == "k500")
    }

    /// A client's object of 100,000 keys of one length: checked pairwise it
    /// took minutes of a core (a reviewer's 40,000 took two); through the
    /// set, a moment.
    @Test(.timeLimit(.minutes(1))) func manyKeysOfOneLengthAreCheckedInLinearTime() {
        var object = JSONObject()
        object.reserveCapacity(100_000)
        for index in 100_000..<200_000 { object.append(key: "key\(index)", value: .null) }
        #expect(object.repeatedKey == nil)
    }
}
