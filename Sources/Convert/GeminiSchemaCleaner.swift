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
///   merged, `oneOf` as `anyOf`, `type: [T, "null"]`, an `anyOf` member
///   `{type: null}` and a `null` `enum` value as `nullable`, a string
///   `const` as a one-value `enum`; several types as an `anyOf` of one
///   branch each, with the keywords of its type (`items` on the array's,
///   `properties` on the object's); a tuple (`prefixItems`, or `items` as a
///   list) as `items` any of its members' schemas; an array with no item
///   schema given ``anyValue`` (Gemini refuses an array without `items`);
/// - dropped (info): keywords of another type than the schema's one
///   (`properties` and `required` on a string: "only allowed for OBJECT
///   type");
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
    /// The keywords that belong to one type: Gemini refuses them on a
    /// schema of another ("properties: only allowed for OBJECT type", an
    /// `items` beside an `anyOf`), so a union's are moved to its branches.
    static let keywordsByType: [String: Set<String>] = [
        "array": ["items", "prefixItems", "minItems", "maxItems"],
        "object": ["properties", "required", "minProperties", "maxProperties", "propertyOrdering"],
        "string": ["enum", "minLength", "maxLength", "pattern"],
        "number": ["minimum", "maximum"], "integer": ["minimum", "maximum"],
    ]
    /// The item schema of an array that names none: any scalar Gemini can
    /// describe. Its `type` is required, so no `{}`; an array needs `items`
    /// of its own, and an object with no properties is refused ("properties
    /// should be non-empty for OBJECT type", as a tool's parameters are), so
    /// both are left out.
    static let anyValue: JSONValue = [
        "anyOf": [["type": "string"], ["type": "number"], ["type": "boolean"]]
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
        normalizeTuple(&object, path: path)
        dropKeywordsOfOtherTypes(&object, path: path)
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
                switch member.value {
                case .object: cleaned["items"] = clean(member.value, path: memberPath, expanding: expanding)
                case .array(let members): cleaned["items"] = anyOf(members, path: memberPath, expanding: expanding)
                // `items: true` says any item, as no `items` does; filled in below.
                default: break
                }
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
        if cleaned["type"]?.stringValue == "array", cleaned["items"] == nil {
            cleaned["items"] = Self.anyValue
            diagnostics.append(
                .info("\(path)/items", "Gemini refuses an array without items; items may be any value"))
        }
        keepKnownRequired(&cleaned, path: path)
        return .object(cleaned)
    }

    /// `schemas` cleaned, as the one schema when all are alike, else as an
    /// `anyOf` of them (a tuple's members, which Gemini cannot place).
    private mutating func anyOf(_ schemas: [JSONValue], path: String, expanding: [String]) -> JSONValue? {
        var options: [JSONValue] = []
        for (index, schema) in schemas.enumerated() {
            let option = clean(schema, path: "\(path)/\(index)", expanding: expanding)
            if !options.contains(option) { options.append(option) }
        }
        switch options.count {
        case 0: return nil
        case 1: return options[0]
        default: return ["anyOf": .array(options)]
        }
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
                if nonNull.count > 1 {
                    let branches = nonNull.map { branch(of: $0, in: object) }
                    for type in nonNull { for key in Self.keywordsByType[type] ?? [] { object[key] = nil } }
                    object["format"] = nil
                    object["anyOf"] = .array(branches)
                }
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

    /// The `anyOf` branch of `type` in a list of types, with the keywords
    /// of that type (``keywordsByType``) in `object`, which are moved into
    /// it: each type keeps its own.
    private func branch(of type: String, in object: JSONObject) -> JSONValue {
        var branch: JSONObject = ["type": .string(type)]
        // In the schema's order: a set's changes from run to run.
        let keywords = Self.keywordsByType[type] ?? []
        for member in object where keywords.contains(member.key) { branch[member.key] = member.value }
        if let format = object["format"]?.stringValue, Self.formatsByType[type]?.contains(format) == true {
            branch["format"] = .string(format)
        }
        return .object(branch)
    }

    /// The keywords of types other than `object`'s one type dropped: Gemini
    /// refuses `properties` on a string. A list of types was made branches
    /// (``branch(of:in:)``), which took their own keywords; what is
    /// left beside their `anyOf` belongs to none.
    private mutating func dropKeywordsOfOtherTypes(_ object: inout JSONObject, path: String) {
        let type = object["type"]?.stringValue
        guard type != nil || object["anyOf"] != nil else { return }
        let own = type.flatMap { Self.keywordsByType[$0] } ?? []
        for otherType in Self.keywordsByType.keys.sorted() where otherType != type {
            let keywords = Self.keywordsByType[otherType] ?? []
            for key in keywords.subtracting(own).sorted() where object[key] != nil {
                object[key] = nil
                let owner = type.map { "on a schema of type \($0)" } ?? "beside anyOf"
                diagnostics.append(
                    .info(
                        "\(path)/\(key)", "Gemini allows \(key) only for type \(otherType), not \(owner); dropped"))
            }
        }
        if type == nil, object["format"] != nil {
            object["format"] = nil
            diagnostics.append(.debug("\(path)/format", "format beside anyOf has no type; dropped"))
        }
    }

    /// A tuple, `prefixItems` or a list of `items` (older drafts), as the
    /// one `items` Gemini takes: any of the tuple's schemas, and of the
    /// schema of the items after them, if any. Their order is lost.
    private mutating func normalizeTuple(_ object: inout JSONObject, path: String) {
        var members = object.removeValue(forKey: "prefixItems")?.arrayValue ?? []
        switch object["items"] {
        case .array(let list)?: members += list
        case .object?: if !members.isEmpty, let rest = object["items"] { members.append(rest) }
        default: break
        }
        guard !members.isEmpty else { return }
        object["items"] = .array(members)
        if object["type"] == nil, object["anyOf"] == nil { object["type"] = "array" }
        diagnostics.append(
            .info("\(path)/items", "Gemini has no tuples; each item may be any of the tuple's schemas"))
    }

    /// Gemini's `enum` is for strings only; a `null` in it is `nullable`.
    private mutating func normalizeEnum(_ object: inout JSONObject, path: String) {
        if let constant = object.removeValue(forKey: "const") {
            if constant.stringValue != nil, object["enum"] == nil {
                object["enum"] = [constant]
                diagnostics.append(.info("\(path)/const", "Gemini has no const; sent as a one-value enum"))
            } else {
                diagnostics.append(.warning("\(path)/const", "Gemini only takes string constants; dropped"))
            }
        }
        guard var values = object["enum"]?.arrayValue else { return }
        if values.contains(.null) {
            values.removeAll { $0 == .null }
            object["nullable"] = true
            object["enum"] = values.isEmpty ? nil : .array(values)
            diagnostics.append(.info("\(path)/enum", "Gemini's enum has no null; sent as nullable"))
            if values.isEmpty { return }
        }
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
