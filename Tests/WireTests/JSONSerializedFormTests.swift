import Foundation
import TestSupport
import Testing
import Wire

/// `isSerializedForm` must say yes exactly when parsing and re-serializing
/// gives the same bytes back: a yes on anything else would let a cassette
/// store JSON that does not replay byte for byte.
@Suite struct JSONSerializedFormTests {
    /// What the check must agree with.
    static func roundTrips(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSONValue(parsing: bytes) else { return false }
        return value.serialized() == bytes
    }

    @Test(arguments: [
        (#"{"a":1,"b":[true,false,null],"c":"x"}"#, true),
        (#"{"a": 1}"#, false),
        (#" {"a":1}"#, false),
        (#"{"a":1} "#, false),
        (#"{"a":1,"a":2}"#, true),
        (#"[]"#, true),
        (#"{}"#, true),
        (#""plain""#, true),
        (#"-12"#, true),
        (#"-0"#, false),
        (#"-0.0"#, true),
        (#"007"#, false),
        (#"1.0"#, true),
        (#"1.50"#, false),
        (#"1e5"#, false),
        (#"1e+20"#, true),
        (#"1E+20"#, false),
        (#"1e999"#, false),
        (#"9223372036854775807"#, true),
        (#"9223372036854775808"#, false),
        (#"-9223372036854775808"#, true),
        (#""a\/b""#, false),
        (#""a\"b\\c\n\r\t\b\f""#, true),
        (#""\u0001\u001f""#, true),
        (#""\u001F""#, false),
        (#""\u000a""#, false),
        (#""\u0008""#, false),
        (#""\u000c""#, false),
        (#""\u00e9""#, false),
        (#""é😀""#, true),
        (#"{"a":1"#, false),
        (#"[1,]"#, false),
        (#"tru"#, false),
        ("", false),
    ])
    func knownCases(text: String, expected: Bool) {
        #expect(JSONValue.isSerializedForm(text) == expected)
        #expect(Self.roundTrips(Array(text.utf8)) == expected)
    }

    @Test func invalidUTF8AndRawControlCharactersAreRefused() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0x0A, 0x22], [0x22, 0xFF, 0x22],
        ] {
            #expect(!JSONValue.isSerializedForm(bytes))
            #expect(!Self.roundTrips(bytes))
        }
    }

    @Test func nestingBeyondTheParsersLimitIsRefused() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(!JSONValue.isSerializedForm(deep))
        #expect(!Self.roundTrips(Array(deep.utf8)))
        let allowed = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(JSONValue.isSerializedForm(allowed))
    }

    /// Every serialized value passes, and every small edit of one gets the
    /// same answer as a parse and re-serialize.
    @Test func agreesWithARoundTripOnGeneratedValuesAndTheirEdits() {
        var random = SplitMix(seed: 0x5EED)
        let edits: [[UInt8]] = [
            Array(" ".utf8), Array("\\/".utf8), Array("\\u00E9".utf8), Array("\\u0041".utf8), Array("\\u001f".utf8),
            Array("\\u0008".utf8), Array("\\u000d".utf8),
            Array("1.0".utf8), Array("1.25e3".utf8), Array("-0".utf8), Array("0".utf8), Array(",".utf8),
            Array("\"".utf8), Array("\\".utf8), [0xC3, 0xA9], [0xE9], [0x0A], Array("}".utf8), Array("]".utf8),
        ]
        for _ in 0..<3_000 {
            let value = Self.randomValue(&random, depth: 0)
            let bytes = value.serialized()
            #expect(JSONValue.isSerializedForm(bytes), "\(String(decoding: bytes, as: UTF8.self))")
            var edited = bytes
            let at = Int(random.next() % UInt64(edited.count + 1))
            switch random.next() % 3 {
            case 0: edited.insert(contentsOf: edits[Int(random.next() % UInt64(edits.count))], at: at)
            case 1: if at < edited.count { edited.remove(at: at) }
            default:
                if at < edited.count {
                    edited.replaceSubrange(at...at, with: edits[Int(random.next() % UInt64(edits.count))])
                }
            }
            #expect(
                JSONValue.isSerializedForm(edited) == Self.roundTrips(edited),
                "\(String(decoding: edited, as: UTF8.self))")
        }
    }

    /// Real provider payloads and Claude Code's request bodies.
    @Test func agreesWithARoundTripOnEveryFixture() throws {
        var texts: [[UInt8]] = []
        for folder in ["anthropic", "openai-chat", "openai-responses", "gemini"] {
            for file in try Fixtures.files(in: "providers/" + folder, suffix: ".chunks.txt") {
                texts += try Fixtures.chunkPayloads(atPath: file).map { Array($0.utf8) }
            }
            for file in try Fixtures.files(in: "providers/" + folder, suffix: ".json") {
                texts.append(try Fixtures.bytes(atPath: file))
            }
        }
        let session = try Fixtures.bytes(atPath: try Fixtures.path("claude-code/write-tool-session.requests.jsonl"))
        texts += session.split(separator: 0x0A).map(Array.init)
        #expect(texts.count > 50)
        var accepted = 0
        for text in texts {
            let expected = Self.roundTrips(text)
            #expect(
                JSONValue.isSerializedForm(text) == expected, "\(String(decoding: text.prefix(200), as: UTF8.self))")
            if expected { accepted += 1 }
        }
        // Most real payloads are already in this form; that is the point.
        #expect(accepted > texts.count / 2)
    }

    @Test func writesAStringFromUTF8BytesAsFromTheString() throws {
        for text in [
            "", "plain", "quote \" backslash \\ slash /", "lines\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}", "é 😀 中文",
        ] {
            var fromString: [UInt8] = []
            JSONValue.writeString(text, to: &fromString)
            var fromBytes: [UInt8] = [1]
            let written = Array(text.utf8).withUnsafeBufferPointer { JSONValue.writeString(utf8: $0, to: &fromBytes) }
            #expect(written)
            #expect(Array(fromBytes.dropFirst()) == fromString)
            #expect(try JSONValue(parsing: fromString) == .string(text))
        }
        var output: [UInt8] = []
        let invalid: [UInt8] = [0x61, 0xE2, 0x82]
        #expect(!invalid.withUnsafeBufferPointer { JSONValue.writeString(utf8: $0, to: &output) })
        #expect(output.isEmpty)
    }

    /// The escaper, the parser and the serialized-form check look for special
    /// bytes sixteen at a time: one at every position of a block, and of the
    /// tail after the last whole block, must be found, and of two in one
    /// block the first. (DEL and non-ASCII are not special to the escaper;
    /// the parser and the serialized-form check stop at 0x80 and above, and
    /// DEL sits just inside the plain range.)
    @Test(arguments: ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{7F}", "é", "😀"])
    func findsASpecialByteAtEveryPositionOfABlock(special: String) throws {
        for length in 1..<50 {
            for position in 0..<length {
                let text =
                    String(repeating: "a", count: position) + special
                    + String(repeating: "b", count: length - position - 1)
                // A quote a few bytes on, in the same block or the next.
                let two =
                    String(repeating: "a", count: position) + special
                    + String(repeating: "b", count: length % 7) + "\"" + String(repeating: "c", count: length % 5)
                for text in [text, two] {
                    var written: [UInt8] = []
                    JSONValue.writeString(text, to: &written)
                    #expect(written == Self.referenceEscaped(text), "\(length) \(position)")
                    #expect(try JSONValue(parsing: written) == .string(text), "\(length) \(position)")
                    #expect(JSONValue.isSerializedForm(written), "\(length) \(position)")
                }
            }
        }
    }

    /// Text dense with escapes, as SSE chunks and JSON held in a string are:
    /// several in a block, whole blocks of them, runs of every length
    /// between, near the end (where a short run is not copied sixteen
    /// bytes at a time), written as the scalar-by-scalar reference writes.
    @Test func escapesTextDenseWithSpecialBytes() throws {
        let pieces = ["\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "a", "bc", "é", "😀", "{\"k\":", "0123456789abcdefg"]
        var state: UInt64 = 42
        for _ in 0..<2000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let count = Int(state >> 58)
            for _ in 0..<count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            var written: [UInt8] = []
            JSONValue.writeString(text, to: &written)
            #expect(written == Self.referenceEscaped(text), "\(text.debugDescription)")
            #expect(try JSONValue(parsing: written) == .string(text))
            if written != Self.referenceEscaped(text) { return }
        }
    }

    /// JSON escaping one scalar at a time: the short escapes, `\u00XX` for
    /// the other control characters, everything else as it is.
    private static func referenceEscaped(_ text: String) -> [UInt8] {
        var output = Array("\"".utf8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += Array("\\\"".utf8)
            case "\\": output += Array("\\\\".utf8)
            case "\n": output += Array("\\n".utf8)
            case "\r": output += Array("\\r".utf8)
            case "\t": output += Array("\\t".utf8)
            case "\u{08}": output += Array("\\b".utf8)
            case "\u{0C}": output += Array("\\f".utf8)
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: output += Array(String(scalar).utf8)
            }
        }
        return output + Array("\"".utf8)
    }

    private static func randomValue(_ random: inout SplitMix, depth: Int) -> JSONValue {
        let choice = random.next() % (depth > 3 ? 6 : 8)
        switch choice {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .int(Int64(bitPattern: random.next()) >> Int64(random.next() % 64))
        case 3: return .double(Double(Int64(bitPattern: random.next()) >> 20) / Double(1 << (random.next() % 30)))
        case 4, 5: return .string(randomString(&random))
        case 6:
            return .array((0..<Int(random.next() % 4)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int(random.next() % 4) {
                object.append(key: randomString(&random), value: randomValue(&random, depth: depth + 1))
            }
            return .object(object)
        }
    }

    private static func randomString(_ random: inout SplitMix) -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "😀", "\u{7F}", "0"]
        return (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }
}
