import TestSupport
import Testing

@testable import Wire

/// The run-by-run UTF-8 string maker gives exactly what the standard
/// library's `String(validating:as:)` gives: the same text for valid bytes,
/// nil for invalid ones, wherever the non-ASCII bytes stand.
@Suite struct UTF8ValidationTests {
    private static func made(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { UTF8Validation.string(validating: $0) }
    }

    @Test(arguments: [
        "", "a", "—", "plain ASCII that is longer than one word of eight bytes",
        "a dash — in the middle, and an ellipsis… near the end",
        "déjà vu", "日本語のテキスト", "emoji 🚀 and a flag 🇫🇷 and a family 👨‍👩‍👧",
        "é", "12345678é12345678", "1234567é", "\n\t\"\\ control and quotes — kept",
    ])
    func validTextComesOutAsItWentIn(_ text: String) throws {
        let made = try #require(Self.made(Array(text.utf8)))
        #expect(made == text)
        #expect(Array(made.utf8) == Array(text.utf8))
    }

    @Test(
        arguments: [
            [0xFF], [0xC3], [0x41, 0xC3], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x80],
            Array("abcdefghijklmnop".utf8) + [0xE2, 0x80, 0x41], Array("abcdefgh—".utf8) + [0xBF],
        ] as [[UInt8]])
    func invalidBytesAreRefused(_ bytes: [UInt8]) {
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the case itself must be invalid")
        #expect(Self.made(bytes) == nil)
    }

    @Test func randomMixesAgreeWithTheStandardLibrary() {
        // Pieces that are valid alone, invalid alone, or only as a pair.
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("plain words ".utf8), Array("—".utf8), Array("é".utf8),
            Array("🚀".utf8), [0xE2, 0x80], [0x94], [0xFF], [0xC3], [0xA9], [0xF0, 0x9F],
        ]
        var random = SplitMix(seed: 0x5EED_0F_7E57)
        var disagreements: [[UInt8]] = []
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(random.next() % 12) {
                bytes += pieces[Int(random.next() % UInt64(pieces.count))]
            }
            if Self.made(bytes) != String(validating: bytes, as: UTF8.self) { disagreements.append(bytes) }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.first ?? [])")
    }
}
