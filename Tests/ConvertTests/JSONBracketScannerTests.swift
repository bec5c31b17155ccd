import Testing
import Wire

@testable import Convert

@Suite struct JSONBracketScannerTests {
    private static func brackets(_ text: String) -> (found: [JSONBracketScanner.Bracket], inString: Bool) {
        var scanner = JSONBracketScanner()
        let found = text.utf8.compactMap { scanner.scan($0) }
        return (found, scanner.inString)
    }

    @Test func reportsBracketsOutsideStringsOnly() {
        let result = Self.brackets(#"{"a":["}]\"{"],"b":{}}"#)
        #expect(
            result.found == [
                .open(closer: UInt8(ascii: "}")), .open(closer: UInt8(ascii: "]")), .close(UInt8(ascii: "]")),
                .open(closer: UInt8(ascii: "}")), .close(UInt8(ascii: "}")), .close(UInt8(ascii: "}")),
            ])
        #expect(!result.inString)
    }

    @Test func escapedBackslashEndsTheEscape() {
        let result = Self.brackets(#"["a\\", {"#)
        #expect(result.found == [.open(closer: UInt8(ascii: "]")), .open(closer: UInt8(ascii: "}"))])
        #expect(!result.inString)
    }

    @Test func cutInsideAStringIsStillInString() {
        #expect(Self.brackets(#"{"a":"b\"#).inString)
    }

    @Test func completenessTrackerClosesAcrossFragments() {
        var tracker = JSONCompletenessTracker()
        tracker.consume(#"{"x":"}"#)
        #expect(!tracker.isComplete)
        tracker.consume(#"","y":[1]"#)
        #expect(!tracker.isComplete)
        tracker.consume("}")
        #expect(tracker.isComplete)
    }

    @Test func truncatedRepairAppendsOnlyMissingClosers() {
        #expect(TruncatedJSONRepair.parse(#"{"a":[1,{"b":"]"}"#[...]) == ["a": [1, ["b": "]"]]])
        #expect(TruncatedJSONRepair.parse(#"{"a":]"#[...]) == nil)
        #expect(TruncatedJSONRepair.parse(#"{"a":"b"#[...]) == nil)
        #expect(TruncatedJSONRepair.parse(#"{"a":1}"#[...]) == nil)
    }
}
