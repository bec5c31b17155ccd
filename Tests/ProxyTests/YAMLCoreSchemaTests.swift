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

    /// Many strings over the patterns' alphabet, from a fixed seed, so a
    /// case the list above misses is still caught (and reproducible).
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

    @Test func boolValues() {
        #expect(YAMLCoreSchema.bool("Yes") == true)
        #expect(YAMLCoreSchema.bool("OFF") == false)
        #expect(YAMLCoreSchema.bool("yES") == nil)
    }

    /// Only plain scalars are resolved: quoted and block ones are text, and
    /// an explicit tag other than `!!str` is kept.
    @Test func onlyPlainScalarsAreResolved() throws {
        let yaml = """
            plain: yes
            quoted: "yes"
            single: 'null'
            block: |
              12
            tagged: !!float 3
            empty:
            """
        let root = try #require(try Yams.compose(yaml: yaml, .basic))
        let tags = ["plain", "quoted", "single", "block", "tagged", "empty"].map { root[$0]?.coreSchemaTag.rawValue }
        #expect(
            tags == [Tag.Name.bool, .str, .str, .str, .float, .null].map(\.rawValue),
            "\(tags)")
    }
}
