import Testing
import Wire

struct Base64Tests {
    /// RFC 4648's test vectors, then bytes whose encoding uses `+` and `/`.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func encodesAndDecodesTheRFCVectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func readsEitherAlphabetWithOrWithoutPadding() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0x3E]
        #expect(Base64.encode(bytes) == "+/+/Pg==")
        for text in ["+/+/Pg==", "+/+/Pg", "-_-_Pg==", "-_-_Pg"] {
            #expect(Base64.decode(text) == bytes, "\(text)")
        }
    }

    @Test(arguments: [
        "Zg=", "Z", "Zm9v=", "Zm9vY", "Z===", "Zh==", "Zm9=", "+_", "-/AA", "Zm 9v", "Zm9v\n", "Zg==Zg==", "é",
    ])
    func refusesWhatNoEncoderWrites(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
