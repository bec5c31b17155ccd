import Wire

/// Every schema within a JSON Schema, for rewrites that apply to each one
/// alike (a keyword renamed, dropped or checked): the keywords that hold
/// schemas are walked, so a property that happens to be called `format` or
/// `propertyOrdering` is a name, not a keyword.
enum JSONSchemaNodes {
    /// Keywords whose value is a map of names to schemas.
    static let schemaMaps: Set<String> = ["properties", "$defs", "definitions", "patternProperties"]
    /// Keywords whose value is a list of schemas.
    static let schemaLists: Set<String> = ["anyOf", "allOf", "oneOf", "prefixItems"]
    /// Keywords whose value is one schema (`items` also a list, in older drafts).
    static let schemaValues: Set<String> = ["items", "additionalProperties", "not", "contains"]

    /// `schema` with `transform` applied to each schema object in it,
    /// inner ones first; anything that is not an object is left as it is.
    static func map(_ schema: JSONValue, _ transform: (JSONObject) -> JSONObject) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        for member in object {
            let key = member.key
            if schemaMaps.contains(key), let named = member.value.objectValue {
                object[key] = .object(JSONObject(named.map { .init(key: $0.key, value: map($0.value, transform)) }))
            } else if schemaLists.contains(key) || schemaValues.contains(key), let list = member.value.arrayValue {
                object[key] = .array(list.map { map($0, transform) })
            } else if schemaValues.contains(key) {
                object[key] = map(member.value, transform)
            }
        }
        return .object(transform(object))
    }
}
