import Testing
import Wire

/// `serializedFormLayout(_:knownPartMinimum:isKnown:)`: parts the caller
/// vouches for are walked over, not checked; everything else is checked as
/// before, and the layout is the same either way.
@Suite struct SerializedFormLayoutTests {
    /// The layout with `known` vouched for at any depth up to `upTo`;
    /// `offered` gets the depth and the first bytes of each text offered.
    static func layout(
        _ text: String, minimum: Int = 8, known: Set<String> = [], upTo maximumDepth: Int = 2,
        offered: inout [String]
    ) -> SerializedFormLayout? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            JSONValue.serializedFormLayout(buffer, knownPartMinimum: minimum) { rest, depth in
                let rest = String(decoding: rest, as: UTF8.self)
                offered.append("\(depth) \(rest.prefix(6))")
                guard depth <= maximumDepth else { return nil }
                return known.first { rest.hasPrefix($0) }?.utf8.count
            }
        }
    }

    static func layout(_ text: String) -> SerializedFormLayout? {
        Array(text.utf8).withUnsafeBufferPointer { JSONValue.serializedFormLayout($0) }
    }

    /// Where a member's value or an array element starts, with at least
    /// the minimum left, the text from there is offered with its depth; not
    /// where an array member starts (its elements are the parts).
    @Test func offersEachPartsStartWithItsDepth() {
        let text = #"{"model":"m","messages":[{"role":"user"},"short",["x","yy"]],"system":"a long prompt"}"#
        var offered: [String] = []
        let layout = Self.layout(text, offered: &offered)
        #expect(offered == [#"1 "m","m"#, #"2 {"role"#, #"2 "short"#, #"2 ["x",""#, #"1 "a lon"#])
        #expect(layout == Self.layout(text))
        #expect(layout != nil)
    }

    /// A part vouched for is not checked (here it is not in serialized form,
    /// which only a caller's mistake would give): proof that the check is
    /// skipped; the same part not vouched for is refused.
    @Test func aVouchedPartIsNotChecked() {
        let text = #"{"a":1,"system":{"b": 1.50}}"#
        var offered: [String] = []
        let layout = Self.layout(text, known: [#"{"b": 1.50}"#], offered: &offered)
        #expect(layout?.members.map(\.value) == [5..<6, 16..<27])
        #expect(Self.layout(text, offered: &offered) == nil)
        #expect(Self.layout(text) == nil)
    }

    /// What is outside the vouched parts is still checked: keys, other
    /// members, and what follows the part.
    @Test func theRestIsStillChecked() {
        let known: Set<String> = [#""a long prompt""#]
        var offered: [String] = []
        for text in [
            #"{"system":"a long prompt","n":1.50}"#,
            #"{"system":"a long prompt", "n":1}"#,
            #"{"sys\u0041":"a long prompt"}"#,
            #"{"system":"a long prompt"}x"#,
            #"{"system":"a long prompt""#,
        ] {
            #expect(Self.layout(text, known: known, offered: &offered) == nil, "\(text)")
        }
        #expect(Self.layout(#"{"system":"a long prompt","n":1}"#, known: known, offered: &offered) != nil)
    }

    /// A part the caller does not vouch for at its depth is checked.
    @Test func aPartNotVouchedForAtItsDepthIsChecked() {
        let part = #"{"b": 1}"#
        var offered: [String] = []
        #expect(Self.layout(#"{"a":\#(part)}"#, known: [part], upTo: 1, offered: &offered) != nil)
        #expect(Self.layout(#"{"a":[\#(part)]}"#, known: [part], upTo: 1, offered: &offered) == nil)
        #expect(Self.layout(#"{"a":[\#(part)]}"#, known: [part], upTo: 2, offered: &offered) != nil)
    }
}
