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
}
