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
    /// - Parameter keyword: each schema object's keys renamed first, for a
    ///   schema that spells its keywords otherwise (Gemini's `any_of`); the
    ///   names under `properties` are names, and stay.
    static func map(
        _ schema: JSONValue, keyword: ((String) -> String)? = nil, _ transform: (JSONObject) -> JSONObject
    ) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        if let keyword { object = JSONObject(object.map { .init(key: keyword($0.key), value: $0.value) }) }
        for member in object {
            let key = member.key
            if schemaMaps.contains(key), let named = member.value.objectValue {
                object[key] = .object(
                    JSONObject(named.map { .init(key: $0.key, value: map($0.value, keyword: keyword, transform)) }))
            } else if schemaLists.contains(key) || schemaValues.contains(key), let list = member.value.arrayValue {
                object[key] = .array(list.map { map($0, keyword: keyword, transform) })
            } else if schemaValues.contains(key) {
                object[key] = map(member.value, keyword: keyword, transform)
            }
        }
        return .object(transform(object))
    }
}
