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
}
