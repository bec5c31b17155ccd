import Wire

/// The part of a tool's JSON Schema `input_schema` a proxy can check with
/// certainty: `type` (a name or a list of names; `nullable` allows null),
/// `required`, and the same again through `properties` and `items`.
///
/// Anything that needs a judgement (`anyOf`, `oneOf`, `allOf`, `not`,
/// `$ref`, formats, patterns, enums, bounds) is left to the client: a
/// subschema that uses a combinator is not checked at all, so the proxy
/// never rejects a call the client would have taken.
struct ToolInputSchema: Sendable {
    /// What is wrong with a call's arguments: which field, and how.
    struct Violation: Sendable, Hashable {
        /// The field as a client developer would write it, e.g.
        /// `edits[0].old_string`; empty for the arguments as a whole.
        var field: String
        var problem: String
    }

    let schema: JSONObject

    /// The first violation in `value`, depth first in the schema's order.
    func firstViolation(in value: JSONValue) -> Violation? {
        Self.firstViolation(in: value, schema: schema, field: "")
    }

    private static let combinators = ["anyOf", "oneOf", "allOf", "not", "$ref", "if"]

    private static func firstViolation(in value: JSONValue, schema: JSONObject, field: String) -> Violation? {
        if combinators.contains(where: { schema[$0] != nil }) { return nil }
        let allowed = allowedTypes(schema)
        if !allowed.isEmpty, !allowed.contains(where: { matches(value, type: $0) }) {
            let expected = allowed.joined(separator: " or ")
            return Violation(field: field, problem: "must be \(article(expected)) \(expected), not \(typeName(value))")
        }
        switch value {
        case .object(let object):
            for case .string(let name) in schema["required"]?.arrayValue ?? [] where object[name] == nil {
                return Violation(field: join(field, name), problem: "is required but missing")
            }
            guard let properties = schema["properties"]?.objectValue else { return nil }
            for member in object {
                guard let subschema = properties[member.key]?.objectValue else { continue }
                if let violation = firstViolation(in: member.value, schema: subschema, field: join(field, member.key)) {
                    return violation
                }
            }
        case .array(let elements):
            guard let items = schema["items"]?.objectValue else { return nil }
            for (position, element) in elements.enumerated() {
                if let violation = firstViolation(in: element, schema: items, field: "\(field)[\(position)]") {
                    return violation
                }
            }
        default:
            break
        }
        return nil
    }

    /// The type names a schema allows; empty when it does not say (any value).
    private static func allowedTypes(_ schema: JSONObject) -> [String] {
        var names: [String]
        switch schema["type"] {
        case .string(let name)?: names = [name]
        case .array(let list)?: names = list.compactMap(\.stringValue)
        default: return []
        }
        if schema["nullable"]?.boolValue == true { names.append("null") }
        return names
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .int), ("number", .double), ("integer", .int):
            true
        case ("integer", .double(let number)):
            number.rounded() == number
        case ("object", _), ("array", _), ("string", _), ("boolean", _), ("null", _), ("number", _), ("integer", _):
            false
        default:
            // A type name JSON Schema does not define: not ours to judge.
            true
        }
    }

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func article(_ word: String) -> String {
        word.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }

    private static func join(_ field: String, _ key: String) -> String {
        field.isEmpty ? key : "\(field).\(key)"
    }
}
