import Testing
import Wire

@Suite struct JSONValueTests {
    @Test func keepsKeyOrderAndIntegers() throws {
        let text = #"{"z":1,"a":2.5,"m":[true,false,null],"s":"h\u00e9\n\"x\"","big":12345678901234}"#
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue?.keys == ["z", "a", "m", "s", "big"])
        #expect(value["z"] == .int(1))
        #expect(value["a"] == .double(2.5))
        #expect(value["s"] == .string("hé\n\"x\""))
        #expect(
            value.serializedString() == #"{"z":1,"a":2.5,"m":[true,false,null],"s":"hé\n\"x\"","big":12345678901234}"#)
    }

    @Test func equalityIgnoresKeyOrderButNotType() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSONValue(parsing: "1") != JSONValue(parsing: "1.0"))
    }

    /// Keys in the same order settle equality value by value, at every depth;
    /// an object reordered below still compares order-blind.
    @Test func equalityOfSameOrderedObjectsLooksAtEveryValue() throws {
        let answer = #"{"id":"m","model":"a","content":[{"type":"text","text":"hi"}],"usage":{"in":1,"out":2}}"#
        #expect(
            try JSONValue(parsing: answer)
                != JSONValue(parsing: answer.replacingOccurrences(of: #""model":"a""#, with: #""model":"b""#)))
        #expect(
            try JSONValue(parsing: answer)
                != JSONValue(parsing: answer.replacingOccurrences(of: #""out":2"#, with: #""out":3"#)))
        #expect(
            try JSONValue(parsing: answer)
                == JSONValue(parsing: answer.replacingOccurrences(of: #"{"in":1,"out":2}"#, with: #"{"out":2,"in":1}"#))
        )
        #expect(
            try JSONValue(parsing: answer)
                == JSONValue(
                    parsing: answer.replacingOccurrences(
                        of: #"{"type":"text","text":"hi"}"#, with: #"{"text":"hi","type":"text"}"#)))
    }

    /// Found by the cassette fuzz target: a key read twice made an object unequal to itself.
    @Test func anObjectWithARepeatedKeyEqualsItself() throws {
        let text = #"{"a":1,"b":true,"a":2}"#
        #expect(try JSONValue(parsing: text) == JSONValue(parsing: text))
        #expect(try JSONValue(parsing: text) == JSONValue(parsing: #"{"b":true,"a":1,"a":2}"#))
        #expect(try JSONValue(parsing: text) != JSONValue(parsing: #"{"a":2,"b":true,"a":1}"#))
        #expect(try JSONValue(parsing: text) != JSONValue(parsing: #"{"a":1,"b":true,"c":2}"#))
    }

    @Test func surrogatePairsAndLoneSurrogates() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONValue(parsing: #""\ud83d x""#) == .string("\u{FFFD} x"))
    }

    @Test(arguments: [
        ("{\"a\":}", 1, 6), ("[1,2", 1, 5), ("{\n  \"a\" 1}", 2, 7), ("tru", 1, 1), ("\"abc", 1, 1), ("1 2", 1, 3),
    ])
    func errorsNameTheirPosition(text: String, line: Int, column: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func settingAKeyKeepsItsPosition() {
        var value: JSONValue = ["model": "a", "max_tokens": 10]
        value["model"] = "b"
        value["stream"] = true
        value["max_tokens"] = nil
        #expect(value.serializedString() == #"{"model":"b","stream":true}"#)
    }

    @Test(arguments: [0, 7, -7, 10, 1_000_000, -1_000_000, Int64.max, Int64.min] as [Int64])
    func integersAreWrittenInDecimal(value: Int64) {
        var output: [UInt8] = Array("x".utf8)
        JSONValue.writeInteger(value, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "x\(value)")
        #expect(JSONValue.int(value).serializedString() == "\(value)")
    }

    /// Integers of every length read as `Int64` while they fit (the
    /// extremes, both sides of 18 digits, a negative zero), and as doubles
    /// past that; a faster parse of integers must keep these.
    @Test(
        arguments: [
            ("0", .int(0)), ("-0", .int(0)), ("7", .int(7)), ("-7", .int(-7)), ("1700000000", .int(1_700_000_000)),
            ("999999999999999999", .int(999_999_999_999_999_999)),
            ("-999999999999999999", .int(-999_999_999_999_999_999)),
            ("1000000000000000000", .int(1_000_000_000_000_000_000)),
            ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)),
            ("-92233720368547758080", .double(-92_233_720_368_547_758_080)),
            ("1.5", .double(1.5)), ("-2e3", .double(-2000)),
        ] as [(String, JSONValue)])
    func integersAreReadWhateverTheirLength(text: String, value: JSONValue) throws {
        #expect(try JSONValue(parsing: Array(text.utf8)) == value)
        #expect(try JSONValue(parsing: Array("[\(text),1]".utf8)) == [value, 1])
    }

    /// Pieces written into scratch space come out whole and in order, up
    /// to exactly the capacity asked for.
    @Test func scratchTextAppendsItsPiecesAtOnce() {
        var output: [UInt8] = Array("a".utf8)
        let middle: [UInt8] = Array("mid".utf8)
        ScratchText.append(to: &output, capacity: 9 + ScratchText.integerCapacity) { text in
            text.write(#",""#)
            middle.withUnsafeBufferPointer { text.write($0) }
            text.write(UInt8(ascii: "\""))
            text.write("=")
            text.write(integer: Int64.min)
            text.write(#"":"#)
        }
        #expect(String(decoding: output, as: UTF8.self) == #"a,"mid"=-9223372036854775808":"#)
        #expect(JSONValue.needsNoEscape(UnsafeBufferPointer(start: nil, count: 0)))
    }

    @Test(arguments: ["plain é", "quote\"", "back\\slash", "line\n", "\u{1F}"])
    func needsNoEscapeAgreesWithTheWriter(text: String) {
        var escaped: [UInt8] = []
        JSONValue.writeString(text, to: &escaped)
        var text = text
        let plain = text.withUTF8 { JSONValue.needsNoEscape($0) }
        #expect(plain == (escaped.count == text.utf8.count + 2))
    }

    @Test func controlCharactersAreEscaped() {
        #expect(JSONValue.string("\u{01}\t").serializedString() == #""\u0001\t""#)
    }
}

@Suite struct JSONStringEscapingTests {
    @Test(arguments: ["", "plain", "a\"b", "\\", "tab\there", "é😀\u{1F}", "\n\n", "end\""])
    func roundTripsThroughTheParser(text: String) throws {
        let serialized = JSONValue.string(text).serializedString()
        #expect(try JSONValue(parsing: serialized) == .string(text))
    }

    /// A JSON string literal of `text`, written a scalar at a time.
    private static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let scalar where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Every ASCII character, alone and among plain runs of every length
    /// around the 16-byte scan, against a per-character reference.
    @Test func everyASCIICharacterIsWrittenAsTheReferenceWritesIt() {
        let reference = Self.reference
        for code in 0..<0x80 {
            let character = String(UnicodeScalar(UInt8(code)))
            for padding in [0, 1, 7, 8, 9, 17] {
                let plain = String(repeating: "é", count: padding)
                let text = plain + character + plain + character + character + "x"
                #expect(JSONValue.string(text).serializedString() == reference(text), "code \(code) padding \(padding)")
            }
        }
    }

    /// Text dense with escapes (the writer goes sixteen bytes at a time,
    /// from just after each escape), every length from 0 to 99, from a
    /// fixed seed: quotes, backslashes, short and long control characters,
    /// plain ASCII and two-byte UTF-8.
    @Test func textDenseWithEscapesIsWrittenAsTheReferenceWritesIt() {
        let alphabet = ["\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "a", "b", "é", " ", "{"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0..<100 {
            for _ in 0..<20 {
                var text = ""
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    text += alphabet[Int(state >> 33) % alphabet.count]
                }
                #expect(JSONValue.string(text).serializedString() == Self.reference(text), "\(Array(text.utf8))")
            }
        }
    }

    @Test func escapesOnlyWhatJSONRequires() {
        #expect(JSONValue.string("a/b é \"q\" \\ \n").serializedString() == #""a/b é \"q\" \\ \n""#)
    }
}

/// The parser reads strings run by run, eight bytes at a time; these check
/// every kind of byte at every offset around that scan, with and without
/// escapes before it.
@Suite struct JSONStringParsingTests {
    @Test func everyCharacterAtEveryOffsetReadsBack() throws {
        let specials = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) } + ["é", "😀", "\u{2028}"]
        for special in specials {
            for padding in [0, 1, 7, 8, 9, 17] {
                for pad in ["a", "é"] {
                    let plain = String(repeating: pad, count: padding)
                    let text = plain + special + plain + "\n" + special + plain
                    let serialized = JSONValue.string(text).serializedString()
                    #expect(try JSONValue(parsing: serialized) == .string(text), "\(serialized)")
                }
            }
        }
    }

    @Test func escapedNonASCIIAfterPlainASCIIIsKept() throws {
        #expect(try JSONValue(parsing: #""abcdefghij\u00e9klmnopqrstu\n""#) == .string("abcdefghijéklmnopqrstu\n"))
        #expect(try JSONValue(parsing: #""abcdefghij\nklmnopqrstu é""#) == .string("abcdefghij\nklmnopqrstu é"))
    }

    @Test func invalidUTF8AfterAnEscapeIsRefused() {
        let bytes = Array(#""abcdefghij\n"#.utf8) + [0xFF, 0x41] + Array(#"""#.utf8)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
        do {
            _ = try JSONValue(parsing: bytes)
        } catch {
            #expect(error.reason == "string is not valid UTF-8")
            #expect(error.column == 2)
        }
    }

    @Test(arguments: [0, 5, 8, 13])
    func aControlCharacterIsNamedWhereItIs(offset: Int) {
        let plain = String(repeating: "x", count: offset)
        for text in ["\"\(plain)\u{01}\"", "\"a\\n\(plain)\u{01}\""] {
            do {
                _ = try JSONValue(parsing: text)
                Issue.record("\(text.debugDescription) parsed")
            } catch {
                #expect(error.reason == "control character in string")
                #expect(error.column == text.utf8.count - 1, "\(text.debugDescription)")
            }
        }
    }

    @Test(arguments: [
        (#""abcdefghijklmnop"#, "unterminated string", 0), (#""abc\ndefghijklmnop"#, "unterminated string", 0),
        (#""abc\"#, "unexpected end of input in string", 5), (#"""#, "unterminated string", 0),
    ])
    func anUnterminatedStringIsNamedWhereItEnds(text: String, reason: String, offset: Int) {
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.reason == reason, "\(text)")
            #expect(error.offset == offset, "\(text)")
        }
    }

    /// Raw bytes that are not UTF-8 are refused wherever they stand: alone,
    /// after a run the 8-byte scan reads as ASCII, before or after an escape
    /// (an ASCII `\u0041` too), and the error names the string's start.
    @Test func invalidUTF8IsRefusedWhereverItStands() {
        let cases: [[UInt8]] = [
            Array(#""\u0041"#.utf8) + [0xFF] + Array(#"""#.utf8),
            Array(#""\u0041abcdefghij"#.utf8) + [0xFF] + Array(#"""#.utf8),
            Array(#"""#.utf8) + [0xFF] + Array(#"\n""#.utf8),
            Array(#"""#.utf8) + [0xFF] + Array(#"""#.utf8),
            Array(#""abcdefghijklmnop"#.utf8) + [0xC3] + Array(#"""#.utf8),
        ]
        for bytes in cases {
            do {
                _ = try JSONValue(parsing: bytes)
                Issue.record("\(bytes) parsed")
            } catch {
                #expect(error.reason == "string is not valid UTF-8", "\(bytes)")
                #expect(error.offset == 1, "\(bytes)")
            }
        }
    }

    @Test func unicodeEscapesAmongRuns() throws {
        #expect(try JSONValue(parsing: #""\uD800""#) == .string("\u{FFFD}"))
        #expect(try JSONValue(parsing: #""\uD83D\uDE00""#) == .string("😀"))
        #expect(try JSONValue(parsing: #""\uD800\u0041x""#) == .string("\u{FFFD}Ax"))
        #expect(try JSONValue(parsing: #""abcdefghij\u0041é\u00e9klmnopqrs""#) == .string("abcdefghijAééklmnopqrs"))
    }
}
