import Testing
import Yams

@testable import Proxy

/// `YAMLCoreSchema` must resolve plain scalars exactly as Yams's default
/// resolver (its regular expressions) does, for the tags the config reads.
@Suite struct YAMLCoreSchemaTests {
    /// Yams's answer, with the tags the config reads as text folded to `str`.
    private func yamsTag(_ text: String) -> String {
        let tag = Resolver.default.resolveTag(of: Node(text)).rawValue
        let read = [Tag.Name.bool, .int, .float, .null].map(\.rawValue)
        return read.contains(tag) ? tag : Tag.Name.str.rawValue
    }

    @Test(arguments: [
        "", "~", "null", "Null", "NULL", "nULL", "yes", "Yes", "YES", "yEs", "no", "on", "OFF", "true", "False",
        "TRUE", "y", "n", "0", "00", "07", "08", "0o17", "0o", "0o8", "0b", "0b101", "0b12", "-0b1", "+0x1F", "0x",
        "0xg", "0x_", "1_000", "-1", "+12", "1:30", "1:60", "1:5", "1:05:30", "0:30", "1:30.5", "0:30.5", "1:", ":30",
        "1.", ".5", "._", ".5e3", ".5e+3", ".5E-3", "-.5", "1e5", "1e+5", "1E-5", "1e", "1.5e", "1.5.5", "+.inf",
        "-.Inf", ".INF", ".inf", ".nan", "-.nan", ".NaN", ".Nan", "<<", "=", "2026-12-05", "1_", "_1", "1__2", "0_",
        "12:34:56", "1:2:3", "١٢", "1 ", " 1", "inf", "nan", "+", "-", ".", "e5", "0e0", "0.0", "-0.0", "1:30.",
        "+1:30.5e3", "0b_", "0o_", "0x1:30",
    ])
    func resolvesAsYamsDoes(text: String) {
        #expect(YAMLCoreSchema.tag(ofPlain: text).rawValue == yamsTag(text), "\(text.debugDescription)")
    }

    /// Every string of up to four bytes over the patterns' own alphabet.
    @Test func resolvesEveryShortScalarAsYamsDoes() {
        let alphabet = Array("0159_:.eE+-box")
        var texts = [""]
        var mismatches: [String] = []
        for _ in 1...4 {
            texts = texts.flatMap { text in alphabet.map { text + String($0) } }
            for text in texts where YAMLCoreSchema.tag(ofPlain: text).rawValue != yamsTag(text) {
                mismatches.append(text)
            }
        }
        #expect(mismatches.isEmpty, "resolved differently from Yams: \(mismatches.prefix(20))")
    }

    /// Many longer strings over a wider alphabet, from a fixed seed, so a
    /// case the lists above miss is still caught (and reproducible).
    @Test func resolvesGeneratedScalarsAsYamsDoes() {
        let alphabet = Array("0123456789_:.eE+-boxXaf~nNuUlLiItTrRyYsS<= ")
        var state: UInt64 = 0x5EED
        var mismatches: [String] = []
        for _ in 0..<4000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 60) % 8
            var text = ""
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            if YAMLCoreSchema.tag(ofPlain: text).rawValue != yamsTag(text) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "resolved differently from Yams: \(mismatches.prefix(20))")
    }

    /// A sexagesimal int reads as Yams reads it, and one past `Int` is no
    /// int (Yams's own reading trapped on it).
    @Test(arguments: ["1:30", "-1:30", "+1:30", "1_0:05", "1:5", "12:34:56", "1:05:30", "-1_2:3:4"])
    func sexagesimalValuesAreYamsOwn(text: String) throws {
        #expect(YAMLCoreSchema.tag(ofPlain: text) == .int, "\(text)")
        let read = try #require(YAMLCoreSchema.int(Node(text)), "\(text)")
        #expect(read == Node(text).int, "\(text)")
    }

    /// An explicit `!!int` skips the plain scalar's pattern: a sign or
    /// nothing inside a group is no int (`-0:-9223372036854775808` reached
    /// -Int.min).
    @Test(arguments: ["-0:-9223372036854775808", "1:-5", "1::2", "1:+5", ":30"])
    func aGroupThatIsNotDigitsIsNoInt(text: String) {
        #expect(YAMLCoreSchema.int(Node(text, Tag(.int))) == nil, "\(text)")
    }

    @Test func aSexagesimalIntPastIntsLimitIsNone() {
        // Eleven groups: 60^10, which Yams computed the next power of, and trapped.
        #expect(YAMLCoreSchema.tag(ofPlain: "1:0:0:0:0:0:0:0:0:0:0") == .int)
        #expect(YAMLCoreSchema.int(Node("1:0:0:0:0:0:0:0:0:0:0")) == 604_661_760_000_000_000)
        #expect(YAMLCoreSchema.int(Node("1:0:0:0:0:0:0:0:0:0:0:0")) == nil)
        #expect(YAMLCoreSchema.int(Node("-1:0:0:0:0:0:0:0:0:0:0:0")) == nil)
    }

    /// A plain scalar is a bool in three cases of each word only; its value
    /// (an explicit `!!bool`'s too) is read in any case, as Yams reads it.
    @Test func boolSpellingsAndValues() {
        #expect(YAMLCoreSchema.tag(ofPlain: "Yes") == .bool)
        #expect(YAMLCoreSchema.tag(ofPlain: "yES") == .str)
        #expect(YAMLCoreSchema.bool("Yes") == true)
        #expect(YAMLCoreSchema.bool("OFF") == false)
        #expect(YAMLCoreSchema.bool("tRUE") == true)
        #expect(YAMLCoreSchema.bool("1") == nil)
    }

    /// Only untagged plain scalars are resolved: quoted and block ones are
    /// text, and a scalar's own tag (`!!str`, `!`, `!!float`) is kept.
    @Test func onlyUntaggedPlainScalarsAreResolved() throws {
        let fields: [(String, Yams.Tag.Name)] = [
            ("plain: yes", .bool), ("quoted: \"yes\"", .str), ("single: 'null'", .str), ("block: |\n  12", .str),
            ("float: !!float 3", .float), ("empty:", .null), ("str: !!str yes", .str), ("bang: ! yes", .str),
            ("emptyStr: !!str", .str), ("bool: !!bool tRUE", .bool),
        ]
        let root = try #require(try Yams.compose(yaml: fields.map(\.0).joined(separator: "\n"), .basic))
        for (field, tag) in fields {
            let name = String(field.prefix { $0 != ":" })
            #expect(root[name]?.coreSchemaTag.rawValue == tag.rawValue, "\(field)")
        }
        // Keys are compared as text: `1` and `"1"` are the same key.
        #expect(throws: (any Error).self) { try Yams.compose(yaml: "1: a\n\"1\": b", .basic) }
    }
}
