import Wire

/// Headers as a cassette line records them: a JSON object of name to value,
/// in order, secrets already fingerprinted (``Redactor/headers(_:)`` makes
/// them). Kept as the object's JSON text, which is what the line holds.
public struct RecordedHeaders: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The object's JSON text, in `JSONValue.isSerializedForm`.
    public let json: [UInt8]

    /// `json` must be a JSON object in serialized form.
    init(json: [UInt8]) { self.json = json }

    /// The headers of `object`, whose values should be strings.
    public init(_ object: JSONObject) { json = JSONValue.object(object).serialized() }

    /// For tests and tools: the values are taken as they are, not redacted.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: .string($0.1)) }))
    }

    /// The headers as a JSON object.
    public var object: JSONObject {
        guard case .object(let object)? = try? JSONValue(parsing: json) else { return [:] }
        return object
    }

    /// The value of the header named exactly `name`.
    public subscript(name: String) -> String? { object[name]?.stringValue }
}
