import Wire

/// What Anthropic takes of structured output (`output_config.format`), so
/// a format sent there is not refused with a 400:
/// - only Claude Sonnet 4.5, Opus 4.5, Haiku 4.5 and later models take it
///   (``takesFormat(model:)``);
/// - a schema without the constraints it does not enforce: numbers'
///   `minimum`, `maximum`, `multipleOf`..., strings' `minLength`,
///   `maxLength` and formats outside its list, arrays' `maxItems`,
///   `uniqueItems` and a `minItems` above 1. As Anthropic's own SDKs do,
///   they are moved into the schema's `description`, so the model still
///   reads them;
/// - every object with `additionalProperties: false`, which it requires.
enum AnthropicStructuredOutput {
    /// Keywords Anthropic refuses in a schema whatever their value.
    static let unsupportedKeywords: Set<String> = [
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
        "maxItems", "uniqueItems", "minProperties", "maxProperties", "minContains", "maxContains",
    ]
    /// The string formats Anthropic enforces.
    static let supportedFormats: Set<String> = [
        "date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid",
    ]
    /// The first Claude version that takes `output_config.format`.
    static let firstVersion = (major: 4, minor: 5)

    /// Whether `model` takes `output_config.format`: true for a Claude
    /// model of ``firstVersion`` or later, false for an older one
    /// (`claude-3-5-sonnet...`, `claude-sonnet-4-20250514`,
    /// `claude-opus-4-1`), nil for a name that is not Claude's (another
    /// provider's model behind an Anthropic-shaped API), which the route's
    /// policy decides. Prefixes and suffixes of clouds
    /// (`anthropic.claude-...-v1:0`, `claude-...@2025...`) are allowed.
    static func takesFormat(model: String) -> Bool? {
        let name = model.lowercased()
        guard let claude = name.range(of: "claude-") else { return nil }
        let words = name[claude.upperBound...].split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard let family = words.first else { return nil }
        // `claude-3-5-sonnet`, `claude-2.1`: the version first, an older scheme.
        if family.first?.isNumber == true { return false }
        guard words.count > 1, let major = Int(words[1]) else { return nil }
        // A minor version is one or two digits; eight are a date.
        let minor = words.count > 2 && words[2].count <= 2 ? Int(words[2]) ?? 0 : 0
        return (major, minor) >= firstVersion
    }

    /// The diagnostic of a schema ``fitted(_:)`` changed.
    static let fittedNote =
        "constraints Anthropic does not take moved into descriptions; objects closed "
        + "(additionalProperties: false), as Anthropic requires"

    /// `schema` as Anthropic takes it, and whether anything was changed.
    static func fitted(_ schema: JSONValue) -> (schema: JSONValue, changed: Bool) {
        let fitted = JSONSchemaNodes.map(schema) { object in
            var kept = JSONObject()
            var moved: [String] = []
            for member in object {
                if isUnsupported(member) {
                    moved.append("\(member.key): \(member.value.serializedString())")
                } else {
                    kept[member.key] = member.value
                }
            }
            if isObject(object) { kept["additionalProperties"] = false }
            if !moved.isEmpty {
                let constraints = "{" + moved.joined(separator: ", ") + "}"
                let description = kept["description"]?.stringValue.map { $0 + "\n\n" } ?? ""
                kept["description"] = .string(description + constraints)
            }
            return kept
        }
        return (fitted, fitted != schema)
    }

    private static func isUnsupported(_ member: JSONObject.Member) -> Bool {
        switch member.key {
        case "minItems": (member.value.intValue ?? 0) > 1
        case "format": member.value.stringValue.map { !supportedFormats.contains($0) } ?? true
        default: unsupportedKeywords.contains(member.key)
        }
    }

    private static func isObject(_ schema: JSONObject) -> Bool {
        switch schema["type"] {
        case .string(let type)?: type == "object"
        case .array(let types)?: types.contains("object")
        default: schema["properties"] != nil
        }
    }
}
