import Testing
import Wire

/// Header names compared as HTTP compares them: ASCII letters in any case,
/// every other byte exactly.
@Suite struct ASCIICaseTests {
    @Test func lettersMatchInAnyCase() {
        #expect("Content-Length".equalsIgnoringASCIICase("content-length"))
        #expect("HOST".equalsIgnoringASCIICase("host"))
        #expect("x-api-key".equalsIgnoringASCIICase("X-API-KEY"))
        #expect("".equalsIgnoringASCIICase(""))
    }

    @Test func otherBytesMustBeTheSame() {
        // `@` and `` ` ``, `[` and `{`, `\r` and `-` differ only in bit 0x20.
        #expect(!"a@b".equalsIgnoringASCIICase("a`b"))
        #expect(!"[x".equalsIgnoringASCIICase("{x"))
        #expect(!"content\rlength".equalsIgnoringASCIICase("content-length"))
        #expect(!"hosts".equalsIgnoringASCIICase("host"))
        #expect(!"hóst".equalsIgnoringASCIICase("hÓst"))
        #expect(!"hosu".equalsIgnoringASCIICase("host"))
    }

    @Test func aWordIsFoundInAnyCaseAmongOtherBytes() {
        #expect("Respond in JSON.".containsIgnoringASCIICase("json"))
        #expect("jSoN".containsIgnoringASCIICase("json"))
        #expect("résumé en Json, s'il vous plaît".containsIgnoringASCIICase("json"))
        #expect("日本語のJSONで答えて".containsIgnoringASCIICase("json"))
        #expect("jsjsoN".containsIgnoringASCIICase("json"))
        #expect("anything".containsIgnoringASCIICase(""))
    }

    @Test func aWordIsNotFoundWhereOnlyItsLookalikesAre() {
        // Fullwidth letters, an accented o, a letter short, a byte apart.
        #expect(!"ＪＳＯＮ".containsIgnoringASCIICase("json"))
        #expect(!"jsón".containsIgnoringASCIICase("json"))
        #expect(!"jso".containsIgnoringASCIICase("json"))
        #expect(!"js on".containsIgnoringASCIICase("json"))
        #expect(!"".containsIgnoringASCIICase("json"))
        // `J` and `j` differ in bit 0x20, as do `*` and `\n`: only letters pair.
        #expect(!"a*b".containsIgnoringASCIICase("a\nb"))
    }
}
