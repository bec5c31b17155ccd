import Wire

/// Input: JSON text (or anything). Properties: what the parser accepts
/// serializes to text it parses back to the same serialization, and
/// ``JSONReader`` skips exactly the texts the parser accepts (a stream
/// chunk it reads must be one the parser would take).
enum JSONParserFuzz {
    static func run(_ input: inout FuzzInput) {
        let payload = input.payload
        let parsed = try? JSONValue(parsing: payload)
        var reader = JSONReader(payload)
        let skipped: Bool
        do {
            try reader.skipValue()
            try reader.finish()
            skipped = true
        } catch {
            skipped = false
        }
        require(
            skipped == (parsed != nil),
            "the reader \(skipped ? "skips" : "refuses") what the parser \(parsed != nil ? "accepts" : "refuses")")
        guard let value = parsed else { return }
        let text = value.serialized()
        let reparsed: JSONValue
        do {
            reparsed = try JSONValue(parsing: text)
        } catch {
            fatalError("serialized \(String(decoding: text, as: UTF8.self)) does not parse: \(error)")
        }
        let again = reparsed.serialized()
        require(again == text, "serialized twice differs: \(String(decoding: again, as: UTF8.self))")
    }
}
