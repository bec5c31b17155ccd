import Testing
import Wire

/// Text someone else chose, made safe for one line of a log or a terminal.
@Suite struct ControlCharacterEscapeTests {
    @Test(arguments: [
        ("plain text, ümlauts and 日本", "plain text, ümlauts and 日本"),
        ("a\nb\r\tc", #"a\nb\r\tc"#),
        ("\u{1B}[31mred\u{1B}]0;title\u{07}", #"\u001b[31mred\u001b]0;title\u0007"#),
        ("nul\u{0}del\u{7F}", #"nul\u0000del\u007f"#),
        // C1 controls (U+0080-U+009F: CSI is U+009B), not the letters after them.
        ("\u{80}\u{9B}31m\u{9F}\u{A0}é", #"\u0080\u009b31m\u009f"# + "\u{A0}é"),
        (#"a literal \n stays"#, #"a literal \n stays"#),
        // Line separators and bidi overrides, not their neighbours (U+2027, U+202F, U+2065, U+206A) nor the euro sign.
        ("a\u{2028}b\u{2029}c\u{202E}d\u{2066}e\u{2069}", #"a\u2028b\u2029c\u202ed\u2066e\u2069"#),
        ("\u{2027}\u{202F}\u{2065}\u{206A}€", "\u{2027}\u{202F}\u{2065}\u{206A}€"),
        ("", ""),
    ])
    func controlCharactersAreEscaped(text: String, escaped: String) {
        #expect(ControlCharacterEscape.escaped(text) == escaped)
        var line = Array("> ".utf8)
        ControlCharacterEscape.append(text, to: &line)
        #expect(String(decoding: line, as: UTF8.self) == "> " + escaped)
        #expect(ControlCharacterEscape.containsControl(text) == (text != escaped))
    }
}
