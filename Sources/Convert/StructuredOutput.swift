import Wire

/// Structured output (an answer held to JSON, or to a JSON Schema) between
/// the dialects, carried in the pivot as Anthropic's own
/// `output_config.format`.
///
/// The pivot's format is Anthropic's `{type: "json_schema", schema}`, plus
/// what OpenAI's dialects say of it and Anthropic's does not (`name`,
/// `description`, `strict`), so OpenAI -> OpenAI keeps them; an Anthropic
/// upstream gets only `type` and `schema`. JSON mode with no schema
/// (OpenAI's `json_object`, Gemini's `application/json` alone) is
/// `{type: "json_object"}`, which Anthropic has no word for: without it,
/// the client that asked for JSON would get free text from an upstream
/// that could have kept to it. What each upstream takes, and the route's
/// policy, are applied before the encoders (``StructuredOutputFit``).
///
/// | pivot          | OpenAI Chat                   | OpenAI Responses    | Gemini `generationConfig`                          |
/// |----------------|-------------------------------|---------------------|----------------------------------------------------|
/// | `json_schema`  | `response_format.json_schema` | `text.format`       | `responseMimeType` + `responseJsonSchema`          |
/// | `json_object`  | `response_format` json_object | `text.format`       | `responseMimeType: application/json`               |
///
/// A Gemini upstream gets `responseJsonSchema` (JSON Schema), not
/// `responseSchema` (an OpenAPI subset without `additionalProperties`,
/// `$ref`...): the pivot's schema is JSON Schema, and a Gemini client's
/// `responseSchema` is made JSON Schema on the way in (``jsonSchema(fromOpenAPI:)``).
enum StructuredOutput {
    /// The name OpenAI requires of a schema, for one from a dialect that
    /// names none (Anthropic's, Gemini's).
    static let defaultSchemaName = "response"

    /// The pivot's format, from `output_config.format` or the beta's
    /// top-level `output_format`, which Anthropic clients still send.
    static func pivotFormat(of request: JSONObject) -> JSONObject? {
        (request["output_config"]?["format"] ?? request["output_format"])?.objectValue
    }

    /// Sets `output_config.format` in a pivot body, beside an effort a
    /// decoder may have put there.
    static func add(_ format: JSONObject?, to body: inout JSONObject) {
        guard let format else { return }
        var config = body["output_config"]?.objectValue ?? [:]
        config["format"] = .object(format)
        body["output_config"] = .object(config)
    }

    // MARK: Client dialects -> pivot

    /// A Chat client's `response_format`: nil for `text` and for a type it
    /// does not know (with a warning).
    static func pivotFormat(
        chatResponseFormat value: JSONValue?, diagnostics: inout [ConversionDiagnostic]
    ) -> JSONObject? {
        openAIPivotFormat(
            value, schemaMembers: value?["json_schema"]?.objectValue, field: "response_format",
            pointer: "/response_format", diagnostics: &diagnostics)
    }

    /// A Responses client's `text.format`, whose `json_schema` holds its
    /// members at its top level.
    static func pivotFormat(
        responsesTextFormat value: JSONValue?, diagnostics: inout [ConversionDiagnostic]
    ) -> JSONObject? {
        openAIPivotFormat(
            value, schemaMembers: value?.objectValue, field: "text.format", pointer: "/text/format",
            diagnostics: &diagnostics)
    }

    /// Either OpenAI dialect's format, its `json_schema` members found by
    /// the caller; `field` and `pointer` name it in a warning.
    private static func openAIPivotFormat(
        _ value: JSONValue?, schemaMembers: JSONObject?, field: String, pointer: String,
        diagnostics: inout [ConversionDiagnostic]
    ) -> JSONObject? {
        guard let value, !value.isNull else { return nil }
        switch value["type"]?.stringValue {
        case "text"?: return nil
        case "json_object"?: return ["type": "json_object"]
        case "json_schema"?: return schemaFormat(schemaMembers ?? [:])
        case let other:
            diagnostics.append(.warning(pointer, "\(field) type \(other ?? "none") is not known; dropped"))
            return nil
        }
    }

    /// A Gemini client's `responseMimeType` with `responseJsonSchema` or
    /// `responseSchema` (read by the caller in either spelling). A MIME
    /// type other than JSON or plain text (`text/x.enum`) has no pivot
    /// form: dropped with a warning at `pointer`.
    static func pivotFormat(
        geminiMimeType mimeType: String?, jsonSchema: JSONValue?, openAPISchema: JSONValue?, pointer: String,
        diagnostics: inout [ConversionDiagnostic]
    ) -> JSONObject? {
        let openAPI = openAPISchema.flatMap { $0.isNull ? nil : Self.jsonSchema(fromOpenAPI: $0) }
        let schema = jsonSchema.flatMap { $0.isNull ? nil : $0 } ?? openAPI
        switch mimeType {
        case nil, "application/json"?:
            if let schema { return ["type": "json_schema", "schema": schema] }
            return mimeType == nil ? nil : ["type": "json_object"]
        case "text/plain"?:
            return nil
        case let other?:
            diagnostics.append(.warning(pointer, "responseMimeType \(other) has no equivalent; dropped"))
            return nil
        }
    }

    /// OpenAI's members of a `json_schema` format, in the pivot's shape;
    /// with no schema it is JSON mode.
    private static func schemaFormat(_ members: JSONObject) -> JSONObject {
        guard let schema = members["schema"], !schema.isNull else { return ["type": "json_object"] }
        var format: JSONObject = ["type": "json_schema", "schema": schema]
        for key in ["name", "description", "strict"] {
            if let value = members[key], !value.isNull { format[key] = value }
        }
        return format
    }

    /// Gemini's OpenAPI schema (a `responseSchema`, a function's
    /// `parameters`) as JSON Schema, for the other upstreams: keywords in
    /// snake_case (`any_of`, `min_items`, `property_ordering`, as
    /// google-genai sends a Pydantic model's) made camelCase, property
    /// names left as they are; upper-case type names (`STRING`) made
    /// lower-case; `nullable: true`
    /// made a `"null"` type beside the other, a `null` among an `enum`'s
    /// values and a `{type: null}` branch of an `anyOf`, so null stays
    /// allowed whichever the schema holds to; the number formats (`int64`,
    /// `double`...) dropped, JSON Schema having none (the type says
    /// integer or number, and a string so typed stays a string).
    static func jsonSchema(fromOpenAPI schema: JSONValue) -> JSONValue {
        JSONSchemaNodes.map(schema, keyword: GeminiClientMapping.camelCase) { object in
            var converted = object
            if let type = object["type"]?.stringValue { converted["type"] = .string(type.lowercased()) }
            if let format = object["format"]?.stringValue, Self.openAPINumberFormats.contains(format) {
                converted["format"] = nil
            }
            guard converted.removeValue(forKey: "nullable")?.boolValue == true else { return converted }
            if let type = converted["type"]?.stringValue { converted["type"] = [.string(type), "null"] }
            if var values = converted["enum"]?.arrayValue, !values.contains(.null) {
                values.append(.null)
                converted["enum"] = .array(values)
            }
            if var options = converted["anyOf"]?.arrayValue, !options.contains(where: { $0["type"] == "null" }) {
                options.append(["type": "null"])
                converted["anyOf"] = .array(options)
            }
            return converted
        }
    }

    /// OpenAPI's formats of integers and numbers.
    static let openAPINumberFormats: Set<String> = ["int32", "int64", "float", "double"]

    /// A schema without Gemini's `propertyOrdering`, which only Gemini
    /// knows (OpenAI's strict schemas refuse a keyword they do not know).
    static func withoutPropertyOrdering(_ schema: JSONValue) -> JSONValue {
        JSONSchemaNodes.map(schema) { object in
            var kept = object
            kept["propertyOrdering"] = nil
            return kept
        }
    }

    // MARK: Pivot -> upstream dialects

    /// Chat's `response_format` for the pivot's format; nil (and a warning
    /// naming `upstream`) for a type it cannot say.
    static func chatResponseFormat(
        _ format: JSONObject, upstream: String, diagnostics: inout [ConversionDiagnostic]
    ) -> JSONValue? {
        switch format["type"]?.stringValue {
        case "json_object"?: return ["type": "json_object"]
        case "json_schema"?: return ["type": "json_schema", "json_schema": .object(openAIMembers(format))]
        default:
            dropped(format, upstream: upstream, diagnostics: &diagnostics)
            return nil
        }
    }

    /// Responses' `text.format` for the pivot's format: Chat's, with the
    /// `json_schema` members at its top level.
    static func responsesTextFormat(
        _ format: JSONObject, upstream: String, diagnostics: inout [ConversionDiagnostic]
    ) -> JSONValue? {
        guard let chat = chatResponseFormat(format, upstream: upstream, diagnostics: &diagnostics) else { return nil }
        guard let members = chat["json_schema"]?.objectValue else { return chat }
        var flat: JSONObject = ["type": "json_schema"]
        for member in members { flat[member.key] = member.value }
        return .object(flat)
    }

    /// Gemini's `responseMimeType` and `responseJsonSchema`, set in its
    /// `generationConfig`.
    static func addGemini(
        _ format: JSONObject, to config: inout JSONObject, diagnostics: inout [ConversionDiagnostic]
    ) {
        switch format["type"]?.stringValue {
        case "json_object"?:
            config["responseMimeType"] = "application/json"
        case "json_schema"?:
            config["responseMimeType"] = "application/json"
            config["responseJsonSchema"] = format["schema"] ?? ["type": "object"]
        default:
            dropped(format, upstream: "Gemini", diagnostics: &diagnostics)
        }
    }

    /// `name` (required by OpenAI), `description`, `schema`, `strict`.
    private static func openAIMembers(_ format: JSONObject) -> JSONObject {
        var members: JSONObject = ["name": format["name"] ?? .string(defaultSchemaName)]
        if let description = format["description"] { members["description"] = description }
        members["schema"] = format["schema"] ?? ["type": "object"]
        if let strict = format["strict"] { members["strict"] = strict }
        return members
    }

    private static func dropped(
        _ format: JSONObject, upstream: String, diagnostics: inout [ConversionDiagnostic]
    ) {
        let type = format["type"]?.stringValue ?? "untyped"
        diagnostics.append(
            .warning("/output_config/format", "\(type) output format has no \(upstream) equivalent; dropped"))
    }
}
