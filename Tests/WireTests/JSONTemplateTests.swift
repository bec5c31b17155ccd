import Testing
import Wire

/// A template filled in must write exactly what serializing the value with
/// the same values in place of its holes writes.
@Suite struct JSONTemplateTests {
    static func filled(_ template: JSONTemplate, _ values: [JSONValue]) -> String {
        var bytes: [UInt8] = []
        template.write(to: &bytes) { hole, bytes in values[hole].write(to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func holesAnywhereAreFilledInTextOrder() {
        let value: JSONValue = [
            "id": .string(JSONTemplate.hole(1)), "n": 3, "list": [.string(JSONTemplate.hole(0))],
            "nested": ["text": .string(JSONTemplate.hole(2)), "after": "x"],
        ]
        let values: [JSONValue] = [[1, 2], "a \"quoted\"\nline", "é"]
        let expected: JSONValue = [
            "id": values[1], "n": 3, "list": [values[0]], "nested": ["text": values[2], "after": "x"],
        ]
        #expect(Self.filled(JSONTemplate(value), values) == expected.serializedString())
    }

    @Test func aValueWithNoHoleIsWrittenAsItIs() {
        let value: JSONValue = ["a": "\u{1}", "b": [true, nil], "c": "\u{1}x", "d": "\u{1}1x"]
        #expect(Self.filled(JSONTemplate(value), []) == value.serializedString())
    }

    @Test func aHoleCanBeTheWholeValue() {
        #expect(Self.filled(JSONTemplate(.string(JSONTemplate.hole(0))), [["k": 1]]) == #"{"k":1}"#)
    }
}
