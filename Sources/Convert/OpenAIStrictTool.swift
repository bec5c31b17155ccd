import Wire

/// What OpenAI's strict function tools take, Chat's and Responses' alike,
/// so a strict tool from another client (an Anthropic tool's `strict: true`)
/// is not refused with a 400. OpenAI's strict mode wants every object
/// closed (`additionalProperties: false`) and every property listed in
/// `required`, and takes no `allOf`, `not`, `if`/`then`/`else`,
/// `dependentRequired` or `dependentSchemas`.
///
/// A schema is fitted where that keeps its meaning for the client: an
/// object whose properties are named is closed (the Anthropic fitting does
/// the same), and an optional property whose schema takes `null` is listed
/// as required (the model then sends `null` rather than nothing, which the
/// client's schema allows). OpenAI's advice for other optional properties,
/// a `null` added to their type, is not followed: the model would then
/// send `null` where the client's schema allows none, which its tool
/// refuses (Claude Code's do) and the proxy's own check of the call's
/// arguments stops. Such a tool, and one with an open object or a keyword
/// strict mode refuses, is sent without `strict`, with a warning: its
/// arguments are then held to the schema by no one, as on a route with no
/// strict tools.
enum OpenAIStrictTool {
    /// Keywords OpenAI's strict mode refuses wherever they are.
    static let refusedKeywords: Set<String> = [
        "allOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas",
    ]

    /// The function's `parameters` and `strict` for a tool's `definition`
    /// (Anthropic's: `input_schema`, `strict`) at `path`: as they are for
    /// a tool that is not strict; else fitted for strict mode, or sent
    /// with `strict: false` when that cannot be done faithfully.
    static func parameters(
        of definition: JSONObject, path: String, upstream: String, diagnostics: inout [ConversionDiagnostic]
    ) -> (parameters: JSONValue, strict: Bool?) {
        let schema = definition["input_schema"] ?? ["type": "object", "properties": [:]]
        let strict = definition["strict"]?.boolValue
        guard strict == true else { return (schema, strict) }
        let result = Self.fitted(schema)
        if let refusal = result.refusal {
            diagnostics.append(
                .warning(
                    "\(path)/strict",
                    "\(upstream)'s strict mode would refuse this tool's schema (\(refusal)); sent without strict"))
            return (schema, false)
        }
        if result.schema != schema {
            diagnostics.append(
                .info(
                    "\(path)/input_schema",
                    "fitted for \(upstream)'s strict mode: objects closed (additionalProperties: false), "
                        + "optional properties that take null listed in required"))
        }
        return (result.schema, true)
    }

    /// `schema` as strict mode takes it, or why it cannot be made so
    /// without changing what the client accepts.
    static func fitted(_ schema: JSONValue) -> (schema: JSONValue, refusal: String?) {
        guard let root = schema.objectValue, isObject(root), root["anyOf"] == nil else {
            return (schema, "its root is not an object")
        }
        var refusal: String?
        let fitted = JSONSchemaNodes.map(schema) { object in
            guard refusal == nil else { return object }
            if let keyword = object.first(where: { refusedKeywords.contains($0.key) })?.key {
                refusal = "it uses \(keyword)"
                return object
            }
            guard isObject(object) else { return object }
            var closed = object
            switch object["additionalProperties"] {
            case nil:
                guard let properties = object["properties"]?.objectValue else {
                    refusal = "an object names no properties, so any may come"
                    return object
                }
                closed["additionalProperties"] = false
                closed["required"] = required(object, properties: properties, refusal: &refusal)
            case .bool(false)?:
                let properties = object["properties"]?.objectValue ?? [:]
                closed["required"] = required(object, properties: properties, refusal: &refusal)
            default:
                refusal = "an object takes additional properties"
            }
            if closed["required"] == .array([]) { closed["required"] = nil }
            return closed
        }
        if let refusal { return (schema, refusal) }
        return (fitted, nil)
    }

    /// `object`'s `required` with each optional property that takes `null`
    /// added; a refusal naming the first one that does not.
    private static func required(
        _ object: JSONObject, properties: JSONObject, refusal: inout String?
    ) -> JSONValue {
        var names = object["required"]?.arrayValue ?? []
        for property in properties where !names.contains(.string(property.key)) {
            guard takesNull(property.value) else {
                refusal = "property \"\(property.key)\" is optional, and strict mode has none"
                break
            }
            names.append(.string(property.key))
        }
        return .array(names)
    }

    private static func isObject(_ schema: JSONObject) -> Bool {
        switch schema["type"] {
        case .string(let type)?: type == "object"
        case .array(let types)?: types.contains("object")
        default: schema["properties"] != nil
        }
    }

    /// Whether `schema` allows `null` by its type, an `enum` or `const`, or
    /// a branch of its `anyOf` or `oneOf`.
    private static func takesNull(_ schema: JSONValue) -> Bool {
        guard let object = schema.objectValue else { return schema == true }
        switch object["type"] {
        case .string(let type)?: if type == "null" { return true }
        case .array(let types)?: if types.contains("null") { return true }
        default: break
        }
        if object["nullable"] == true || object["const"] == .null { return true }
        if object["enum"]?.arrayValue?.contains(.null) == true { return true }
        return ["anyOf", "oneOf"].contains { (object[$0]?.arrayValue ?? []).contains(where: takesNull) }
    }
}
