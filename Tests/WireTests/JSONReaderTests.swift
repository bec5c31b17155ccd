import Testing

@testable import Wire

@Suite struct JSONReaderTests {
    /// Reads `text` whole, skipping every value: whether the reader takes it.
    private func skipsWhole(_ text: String) -> Bool {
        JSONReader.isOneValue(Array(text.utf8))
    }

    /// Texts valid and not, around every construct the skip checks.
    static let texts: [String] = [
        "{}", " [ ] ", #"{"a":1}"#, #" { "a" : [ 1 , -2.5e+3 , true , false , null , "x" ] , "b" : { } } "#,
        #""plain""#, #""esc\"aped\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#, #""é ü 日本""#, "0", "-0", "1.5E-7", "123",
        "[[[[[]]]]]", #"{"a":{"b":{"c":[{"d":null}]}}}"#,
        // Not valid.
        "", " ", "{", "}", "[1,]", "[,1]", #"{"a":1,}"#, #"{,"a":1}"#, #"{"a" 1}"#, #"{"a":}"#, #"{1:2}"#, "[1 2]",
        "01", "-", "1.", "1e", "+1", ".5", "tru", "nul", "falsey", #""\q""#, #""\u12G4""#, "\"tab\there\"",
        #""unterminated"#, "{} {}", "[] x", "{\"a\":1}}", "1e999", #"{"a":[-2E+400]}"#,
    ]

    @Test(arguments: texts)
    func skippingAcceptsWhatTheParserAccepts(text: String) {
        let parses = (try? JSONValue(parsing: text)) != nil
        #expect(skipsWhole(text) == parses, "\(text)")
    }

    @Test func invalidUTF8InASkippedStringIsRefused() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0xFF, 0x61, 0x22], [0x5B, 0x22, 0xE6, 0x97, 0x22, 0x5D]] {
            #expect((try? JSONValue(parsing: bytes)) == nil)
            var reader = JSONReader(bytes)
            #expect(throws: JSONParseError.self) {
                try reader.skipValue()
                try reader.finish()
            }
        }
    }

    @Test func nestingDeeperThanTheParsersLimitIsRefused() {
        let deep =
            String(repeating: "[", count: JSONValue.maximumNestingDepth + 1)
            + String(repeating: "]", count: JSONValue.maximumNestingDepth + 1)
        #expect(!skipsWhole(deep))
        let limit =
            String(repeating: "[", count: JSONValue.maximumNestingDepth)
            + String(repeating: "]", count: JSONValue.maximumNestingDepth)
        #expect(skipsWhole(limit))
    }

    @Test func membersComeInOrderWithTheirValues() throws {
        let text = #"{"id":"x","n":[1,{"k":"v"}],"long_key_of_thirty_bytes_____":2,"\u0069d":"again","s":"a\nb"}"#
        var reader = JSONReader(Array(text.utf8))
        var members = try reader.readObject()
        var seen: [String] = []
        while let key = try members.next(&reader) {
            switch key {
            case "id":
                seen.append("id=" + (try reader.readString()))
            case "n":
                var elements = try reader.readArray()
                var kinds: [JSONReader.Kind?] = []
                while try elements.next(&reader) {
                    kinds.append(reader.nextKind)
                    try reader.skipValue()
                }
                seen.append("n=\(kinds.count)")
                #expect(kinds == [.number, .object])
            case "s":
                #expect(try reader.readValue() == .string("a\nb"))
                seen.append("s")
            default:
                // A key longer than any name matches none, an escaped key is its decoded text.
                #expect(!key.matches("long_key_of_thirty_bytes"))
                seen.append("other")
                try reader.skipValue()
            }
        }
        try reader.finish()
        #expect(seen == ["id=x", "n=2", "other", "id=again", "s"])
    }

    @Test func aKeyMatchesOnlyItsOwnBytes() throws {
        var reader = JSONReader(Array(#"{"abcdefgh":0,"abcdefghi":0,"":0,"é":0}"#.utf8))
        var members = try reader.readObject()
        var keys: [JSONReader.Key] = []
        while let key = try members.next(&reader) {
            keys.append(key)
            try reader.skipValue()
        }
        #expect(keys.count == 4)
        #expect(keys[0].matches("abcdefgh") && !keys[0].matches("abcdefghi") && !keys[0].matches("abcdefgx"))
        #expect(keys[1].matches("abcdefghi") && !keys[1].matches("abcdefgh"))
        #expect(keys[2].matches("") && !keys[2].matches("a"))
        #expect(keys[3].matches("é") && !keys[3].matches("e"))
    }

    @Test func oneTopLevelMemberIsReadAndTheRestChecked() {
        func usage(_ text: String) -> Int??? {
            JSONReader.member("usage", of: Array(text.utf8)) { try $0.readValue().intValue }
        }
        #expect(usage(#"{"a":[1,{"usage":2}],"usage":3}"#) == .some(.some(3)))
        #expect(usage(#"{"usage":"x"}"#) == .some(.some(nil)))
        #expect(usage(#"{"a":1}"#) == .some(nil))
        #expect(usage(#"{"usage":1,"usage":2}"#) == nil)
        #expect(usage(#"{"usage":1,"b":tru}"#) == nil)
        #expect(usage(#"[{"usage":1}]"#) == nil)
        #expect(usage(#"{"usage":1} {}"#) == nil)
    }

    @Test func readingTheWrongKindThrows() {
        var reader = JSONReader(Array("[1]".utf8))
        #expect(throws: JSONParseError.self) { _ = try reader.readObject() }
        #expect(throws: JSONParseError.self) { _ = try reader.readString() }
    }
}
