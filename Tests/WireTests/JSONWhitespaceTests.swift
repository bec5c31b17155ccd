import TestSupport
import Testing
import Wire

/// Taking out the whitespace JSON ignores must never change what a text
/// parses to, nor make JSON of a text that is not: a cassette stores what
/// comes out as the body it recorded.
@Suite struct JSONWhitespaceTests {
    static func dropping(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer(JSONValue.droppingInsignificantWhitespace)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: [
        ("{\n  \"a\": 1,\n  \"b\": [ true, null ]\n}\n", #"{"a":1,"b":[true,null]}"#),
        (" \t\r\n[1]", "[1]"),
        (#"{"a" :"b c" , "d\" e":"\\" }"#, #"{"a":"b c","d\" e":"\\"}"#),
        ("[1 2]", nil),
        ("[ 1 2 ]", "[1 2]"),
        (#"["a" "b"]"#, nil),
        ("[true false]", nil),
        (#"{"a": "unterminated   }"#, #"{"a":"unterminated   }"#),
        ("\"ends in a backslash \\", nil),
        (#"{"a":1}"#, nil),
        ("plain text", nil),
        ("", nil),
    ])
    func knownCases(text: String, expected: String?) {
        #expect(Self.dropping(text) == expected)
    }

    /// Whatever the text, the result parses exactly when it does, to the
    /// same value; a valid text with whitespace anywhere outside its
    /// strings comes out as its serializer's bytes.
    @Test func keepsWhatEveryEditedTextParsesTo() {
        var random = SplitMix(seed: 0xC0FFEE)
        let pieces: [String] = [" ", "\n  ", "\t", "1", "\"", "\\", ",", ":", "]", "}", "[", "{", "e", "true", "\" \""]
        let seeds = [
            #"{"a":[1,2.5,-3],"b":{"c":"d e","f":null},"g":"\"q\" \\"}"#, #"[true,false,"x y",{"z":[]}]"#,
            #"{"k":"v","n":1e+20,"s":"tab\there"}"#,
        ]
        for _ in 0..<4_000 {
            var text = Array(seeds[Int(random.next() % UInt64(seeds.count))].utf8)
            for _ in 0...(random.next() % 4) {
                let at = Int(random.next() % UInt64(text.count + 1))
                text.insert(contentsOf: Array(pieces[Int(random.next() % UInt64(pieces.count))].utf8), at: at)
            }
            let out = text.withUnsafeBufferPointer(JSONValue.droppingInsignificantWhitespace) ?? text
            let before = try? JSONValue(parsing: text)
            let after = try? JSONValue(parsing: out)
            let shown = String(decoding: text, as: UTF8.self)
            #expect(before == after, "\(shown)")
            #expect(out.count <= text.count)
        }
    }

    @Test func aPrettyPrintedValueComesOutAsItsSerializedForm() {
        for text in [
            "{\n  \"id\": \"chatcmpl-1\",\n  \"choices\": [\n    {\n      \"index\": 0,\n      \"message\": {\n"
                + "        \"content\": \"Hello,  world: [1, 2]\"\n      }\n    }\n  ],\n  \"usage\": null\n}\n",
            "[ {\"a\" : [ ] } , { } ]",
        ] {
            let bytes = Array(text.utf8)
            let out = bytes.withUnsafeBufferPointer(JSONValue.droppingInsignificantWhitespace)
            let serialized = try? JSONValue(parsing: bytes).serialized()
            #expect(out != nil && out == serialized)
            #expect(out.map(JSONValue.isSerializedForm) == true)
        }
    }
}
