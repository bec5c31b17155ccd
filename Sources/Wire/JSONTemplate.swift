/// JSON text with holes: a value serialized once, with ``hole(_:)``
/// placeholders where each use writes its own values.
///
/// For objects written over and over in one shape (a stream's envelopes and
/// items): building a ``JSONValue`` tree per use and serializing it cost a
/// few hundred instructions a member, while the text around the few values
/// that change is the same every time. The shape stays defined by whatever
/// builds the value, so the template cannot drift from it.
public struct JSONTemplate: Sendable {
    /// The text between the holes: one more than `holes`.
    private let fragments: [[UInt8]]
    /// The hole in each gap between fragments, in text order.
    private let holes: [Int]

    /// The placeholder for hole `index`. A string no text of the value's own
    /// is serialized as: its first character is a control character, which
    /// is written escaped, as `\u0001`.
    public static func hole(_ index: Int) -> String {
        "\u{1}" + String(index)
    }

    /// The serialized text of `value`, cut at each ``hole(_:)`` string in it.
    public init(_ value: JSONValue) {
        let text = value.serialized()
        let marker = Array(#""\u0001"#.utf8)
        var fragments: [[UInt8]] = []
        var holes: [Int] = []
        var fragmentStart = 0
        var index = 0
        while index + marker.count <= text.count {
            guard text[index..<index + marker.count].elementsEqual(marker) else {
                index += 1
                continue
            }
            // A hole is the marker, digits, and the closing quote; any other
            // string that starts with U+0001 is text.
            var end = index + marker.count
            var number = 0
            while end < text.count, text[end].isASCIIDigit {
                number = number * 10 + Int(text[end] - UInt8(ascii: "0"))
                end += 1
            }
            guard end > index + marker.count, end < text.count, text[end] == UInt8(ascii: "\"") else {
                index += 1
                continue
            }
            fragments.append(Array(text[fragmentStart..<index]))
            holes.append(number)
            index = end + 1
            fragmentStart = index
        }
        fragments.append(Array(text[fragmentStart...]))
        self.fragments = fragments
        self.holes = holes
    }

    /// Appends the text, `writeHole(index, &output)` writing the JSON value
    /// of each hole (a string's quotes included) where its placeholder was.
    public func write(to output: inout [UInt8], holes writeHole: (Int, inout [UInt8]) -> Void) {
        output += fragments[0]
        for gap in holes.indices {
            writeHole(holes[gap], &output)
            output += fragments[gap + 1]
        }
    }
}
