import Testing
import Wire

@Suite struct URLQueryTests {
    @Test func splitsAtEveryAmpersandAndTheFirstEquals() {
        let query = URLQuery("alt=sse&&key=a=b&flag&=v")
        #expect(query.parameters.map { String($0.text) } == ["alt=sse", "", "key=a=b", "flag", "=v"])
        #expect(query.parameters.map { String($0.encodedName) } == ["alt", "", "key", "flag", ""])
        #expect(query.parameters.map { $0.encodedValue.map(String.init) } == ["sse", nil, "a=b", nil, "v"])
        #expect(query.nonEmptyParameters.map { String($0.text) } == ["alt=sse", "key=a=b", "flag", "=v"])
        #expect(query.parameters.map(\.text).joined(separator: "&") == "alt=sse&&key=a=b&flag&=v")
    }

    @Test func anEmptyQueryIsOneEmptyPart() {
        #expect(URLQuery("").parameters.map { String($0.text) } == [""])
        #expect(URLQuery("").nonEmptyParameters.isEmpty)
    }

    /// U+0301 after `&` or `=` makes one `Character` with it: a split by
    /// `Character` found neither delimiter.
    @Test func combiningMarksAfterDelimitersDoNotHideThem() {
        let query = URLQuery("a=1&\u{301}x=2&key=\u{301}secret")
        #expect(query.parameters.count == 3)
        #expect(query.parameters[1].name == "\u{301}x")
        #expect(query.parameters[2].encodedName == "key")
        #expect(query.value(named: "key") == "\u{301}secret")
    }

    @Test func decodesEscapesAndPlusAsSpace() {
        #expect(URLQuery.decoded("a%20b+c%2Bd") == "a b c+d")
        #expect(URLQuery.decoded("%E2%9C%93") == "✓")
        #expect(URLQuery.decoded("plain") == "plain")
    }

    @Test func leavesMalformedEscapesAsTheyAre() {
        #expect(URLQuery.decoded("100%") == "100%")
        #expect(URLQuery.decoded("%4") == "%4")
        #expect(URLQuery.decoded("%zz%41") == "%zzA")
        #expect(URLQuery.decoded("%+1") == "% 1")
        #expect(URLQuery.decoded("%FF") == "\u{FFFD}")
    }

    @Test func strictDecodingRefusesWhatIsNotAnEscapeOrUTF8() {
        #expect(URLQuery.strictlyDecoded("models%2Fgemini+pro") == "models/gemini+pro")
        #expect(URLQuery.strictlyDecoded("a%4") == nil)
        #expect(URLQuery.strictlyDecoded("a%+1") == nil)
        #expect(URLQuery.strictlyDecoded("%FF") == nil)
        #expect(URLQuery.strictlyDecoded("plain") == "plain")
    }

    @Test func theFirstOfARepeatedNameIsItsValue() {
        let query = URLQuery("code=a%2Fb&code=second&state=x+y")
        #expect(query.value(named: "code") == "a/b")
        #expect(query.value(named: "state") == "x y")
        #expect(query.value(named: "missing") == nil)
    }
}
