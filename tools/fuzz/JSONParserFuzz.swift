import Wire

/// Input: JSON text (or anything).
enum JSONParserFuzz {
    static func run(_ input: inout FuzzInput) {
        guard let value = try? JSONValue(parsing: input.payload) else { return }
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
