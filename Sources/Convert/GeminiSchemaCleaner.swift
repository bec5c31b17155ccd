import Wire

/// Rewrites a tool's JSON Schema (as Anthropic tools carry it, often made by
/// zod-to-json-schema) into the OpenAPI subset Gemini's `parameters` takes,
/// which answers 400 to anything else.
///
/// - kept: `type format title description nullable enum items properties
///   required anyOf default example minimum maximum minItems maxItems
///   minLength maxLength minProperties maxProperties pattern
///   propertyOrdering`;
/// - rewritten (info): `$ref` into `$defs`/`definitions` inlined, `allOf`
///   merged, `oneOf` as `anyOf`, `type: [T, "null"]` and an `anyOf` member
///   `{type: null}` as `nullable`, a string `const` as a one-value `enum`;
/// - dropped (debug): every other keyword (`$schema`, `additionalProperties`,
///   `exclusiveMinimum`, `examples`...), string formats other than `enum`
///   and `date-time`, number formats other than `float double int32 int64`,
///   empty `properties`, `required` names with no property;
/// - dropped (warning): non-string `enum`s and `const`s, and a recursive
///   `$ref`, cut to `{type: object}`: the constraint is lost, not the tool;
///   so is a `$ref` inside more than ``maxReferenceDepth`` others being
///   inlined, and every one past the first ``maxInlinedReferences``.
struct GeminiSchemaCleaner {
    /// How deep `$ref`s may be inlined within each other: a chain of
    /// definitions each naming the next recursed once per link (thousands
    /// overflowed the stack).
    static let maxReferenceDepth = 64
    /// How many `$ref`s one schema may have inlined: a chain whose links
    /// each name the next twice doubled the work per link. Generous, for a
    /// large schema that names a few definitions many times.
    static let maxInlinedReferences = 4096

    static let keptKeys: Set<String> = [
        "type", "format", "title", "description", "nullable", "enum", "items", "properties", "required", "anyOf",
        "default", "example", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength",
        "minProperties", "maxProperties", "pattern", "propertyOrdering",
    ]
    static let formatsByType: [String: Set<String>] = [
        "string": ["enum", "date-time"], "number": ["float", "double"], "integer": ["int32", "int64"],
    ]

    private let definitions: JSONObject
    private(set) var diagnostics: [ConversionDiagnostic] = []
    private var inlinedReferences = 0

    init(root: JSONValue) {
        var definitions = root["definitions"]?.objectValue ?? [:]
        for member in root["$defs"]?.objectValue ?? [:] { definitions[member.key] = member.value }
        self.definitions = definitions
    }

    mutating func clean(_ schema: JSONValue, path: String) -> JSONValue {
        clean(schema, path: path, expanding: [])
    }

    private mutating func clean(_ schema: JSONValue, path: String, expanding: [String]) -> JSONValue {
        guard case .object(var object) = schema else { return [:] }
        var expanding = expanding
        if let reference = object.removeValue(forKey: "$ref") {
            guard let resolved = resolve(reference, path: path, expanding: &expanding) else {
                return ["type": "object"]
            }
            var merged = resolved.objectValue ?? [:]
            for member in object { merged[member.key] = member.value }
            object = merged
        }
        if let parts = object.removeValue(forKey: "allOf")?.arrayValue {
            object = merging(parts, into: object, path: path, expanding: &expanding)
        }
        if let oneOf = object.removeValue(forKey: "oneOf"), object["anyOf"] == nil {
            object["anyOf"] = oneOf
            diagnostics.append(.info("\(path)/oneOf", "Gemini has no oneOf; sent as anyOf"))
        }
        normalizeType(&object, path: path)
        normalizeEnum(&object, path: path)
        var cleaned = JSONObject()
        for member in object {
            let memberPath = "\(path)/\(ConversionDiagnostic.pointerToken(member.key))"
            guard Self.keptKeys.contains(member.key) else {
                diagnostics.append(.debug(memberPath, "Gemini rejects \(member.key); dropped"))
                continue
            }
            switch member.key {
            case "properties":
                var properties = JSONObject()
                for property in member.value.objectValue ?? [:] {
                    properties[property.key] = clean(
                        property.value, path: "\(memberPath)/\(ConversionDiagnostic.pointerToken(property.key))",
                        expanding: expanding)
                }
                if !properties.isEmpty { cleaned["properties"] = .object(properties) }
            case "items":
                cleaned["items"] = clean(member.value, path: memberPath, expanding: expanding)
            case "anyOf":
                let options = (member.value.arrayValue ?? []).enumerated().map { index, option in
                    clean(option, path: "\(memberPath)/\(index)", expanding: expanding)
                }
                cleaned["anyOf"] = .array(options)
            case "format":
                let type = object["type"]?.stringValue ?? ""
                if let format = member.value.stringValue, Self.formatsByType[type]?.contains(format) == true {
                    cleaned["format"] = member.value
                } else {
                    diagnostics.append(.debug(memberPath, "Gemini rejects this format for \(type); dropped"))
                }
            default:
                cleaned[member.key] = member.value
            }
        }
        keepKnownRequired(&cleaned, path: path)
        return .object(cleaned)
    }

    private mutating func resolve(_ reference: JSONValue, path: String, expanding: inout [String]) -> JSONValue? {
        let text = reference.stringValue ?? ""
        let name = ["#/$defs/", "#/definitions/"].lazy.compactMap { prefix in
            text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : nil
        }.first
        guard let name, let definition = definitions[name] else {
            diagnostics.append(.warning("\(path)/$ref", "unresolvable $ref \(text); sent as a plain object"))
            return nil
        }
        if expanding.contains(name) {
            diagnostics.append(.warning("\(path)/$ref", "recursive $ref \(text) cut; sent as a plain object"))
            return nil
        }
        guard expanding.count < Self.maxReferenceDepth else {
            diagnostics.append(
                .warning(
                    "\(path)/$ref",
                    "$refs inlined more than \(Self.maxReferenceDepth) deep; \(text) sent as a plain object"))
            return nil
        }
        guard inlinedReferences < Self.maxInlinedReferences else {
            diagnostics.append(
                .warning(
                    "\(path)/$ref",
                    "more than \(Self.maxInlinedReferences) $refs inlined; \(text) sent as a plain object"))
            return nil
        }
        inlinedReferences += 1
        expanding.append(name)
        diagnostics.append(.info("\(path)/$ref", "Gemini has no $ref; \(text) inlined"))
        return definition
    }

    /// `allOf` members merged into one schema: properties joined, required
    /// names joined, any other keyword the first one seen.
    private mutating func merging(
        _ parts: [JSONValue], into object: JSONObject, path: String, expanding: inout [String]
    ) -> JSONObject {
        var merged = object
        for part in parts {
            var part = part.objectValue ?? [:]
            if let reference = part.removeValue(forKey: "$ref"),
                let resolved = resolve(reference, path: "\(path)/allOf", expanding: &expanding)?.objectValue
            {
                var inlined = resolved
                for member in part { inlined[member.key] = member.value }
                part = inlined
            }
            for member in part {
                switch (member.key, merged[member.key], member.value) {
                case ("properties", .object(var properties)?, .object(let more)):
                    for property in more where properties[property.key] == nil {
                        properties[property.key] = property.value
                    }
                    merged["properties"] = .object(properties)
                case ("required", .array(let names)?, .array(let more)):
                    merged["required"] = .array(names + more.filter { !names.contains($0) })
                case (_, nil, _):
                    merged[member.key] = member.value
                default:
                    break
                }
            }
        }
        diagnostics.append(.info("\(path)/allOf", "Gemini has no allOf; its schemas merged"))
        return merged
    }

    /// `type: [T, "null"]` -> `type: T, nullable: true`; several types ->
    /// `anyOf`; an `anyOf` member `{type: null}` -> `nullable`, and an
    /// `anyOf` left with one member is that member.
    private mutating func normalizeType(_ object: inout JSONObject, path: String) {
        if let types = object["type"]?.arrayValue {
            let names = types.compactMap(\.stringValue)
            let nonNull = names.filter { $0 != "null" }
            if nonNull.count < names.count { object["nullable"] = true }
            if nonNull.count == 1 {
                object["type"] = .string(nonNull[0])
            } else {
                object["type"] = nil
                if nonNull.count > 1 { object["anyOf"] = .array(nonNull.map { ["type": .string($0)] }) }
            }
            diagnostics.append(.info("\(path)/type", "Gemini takes one type; the list rewritten"))
        } else if object["type"]?.stringValue == "null" {
            object["type"] = nil
            object["nullable"] = true
        }
        guard var options = object["anyOf"]?.arrayValue else { return }
        let count = options.count
        options.removeAll { $0["type"]?.stringValue == "null" && $0.objectValue?.count == 1 }
        if options.count < count { object["nullable"] = true }
        if options.count == 1, case .object(let only) = options[0] {
            object["anyOf"] = nil
            for member in only where object[member.key] == nil { object[member.key] = member.value }
        } else {
            object["anyOf"] = .array(options)
        }
    }

    /// Gemini's `enum` is for strings only.
    private mutating func normalizeEnum(_ object: inout JSONObject, path: String) {
        if let constant = object.removeValue(forKey: "const") {
            if constant.stringValue != nil, object["enum"] == nil {
                object["enum"] = [constant]
                diagnostics.append(.info("\(path)/const", "Gemini has no const; sent as a one-value enum"))
            } else {
                diagnostics.append(.warning("\(path)/const", "Gemini only takes string constants; dropped"))
            }
        }
        guard let values = object["enum"]?.arrayValue else { return }
        if values.allSatisfy({ $0.stringValue != nil }) {
            if object["type"] == nil { object["type"] = "string" }
        } else {
            object["enum"] = nil
            diagnostics.append(.warning("\(path)/enum", "Gemini only takes string enums; dropped"))
        }
    }

    private mutating func keepKnownRequired(_ object: inout JSONObject, path: String) {
        guard let required = object["required"]?.arrayValue else { return }
        let properties = object["properties"]?.objectValue
        let known = required.filter { name in name.stringValue.map { properties?[$0] != nil } ?? false }
        if known.count < required.count {
            diagnostics.append(.debug("\(path)/required", "names with no property dropped"))
        }
        object["required"] = known.isEmpty ? nil : .array(known)
    }
}
