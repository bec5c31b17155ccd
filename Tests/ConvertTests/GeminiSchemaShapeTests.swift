import Testing
import Wire

@testable import Convert

/// Shapes of JSON Schema that Gemini's `parameters` refuses with a 400,
/// each cleaned into the closest schema it takes.
@Suite struct GeminiSchemaShapeTests {
    static func cleaned(_ property: JSONValue) -> (schema: JSONValue?, diagnostics: [ConversionDiagnostic]) {
        let schema: JSONValue = ["type": "object", "properties": ["x": property]]
        var cleaner = GeminiSchemaCleaner(root: schema)
        let cleaned = cleaner.clean(schema, path: "/tools/0/input_schema")
        return (cleaned["properties"]?["x"], cleaner.diagnostics)
    }

    @Test func anArrayWithoutItemsGetsItemsOfAnyValue() {
        let (schema, diagnostics) = Self.cleaned(["type": "array", "description": "tags"])
        #expect(schema == ["type": "array", "description": "tags", "items": GeminiSchemaCleaner.anyValue])
        #expect(
            GeminiSchemaCleaner.anyValue
                == ["anyOf": [["type": "string"], ["type": "number"], ["type": "boolean"]]])
        #expect(diagnostics.map(\.path) == ["/tools/0/input_schema/properties/x/items"])
    }

    @Test func itemsTrueIsAnyValueToo() {
        #expect(Self.cleaned(["type": "array", "items": true]).schema?["items"] == GeminiSchemaCleaner.anyValue)
    }

    @Test func aTupleIsAnArrayOfAnyOfItsMembers() {
        let (schema, diagnostics) = Self.cleaned([
            "type": "array", "prefixItems": [["type": "string"], ["type": "integer"], ["type": "string"]],
            "minItems": 3,
        ])
        #expect(
            schema == [
                "type": "array", "items": ["anyOf": [["type": "string"], ["type": "integer"]]], "minItems": 3,
            ])
        #expect(diagnostics.contains { $0.message.hasPrefix("Gemini has no tuples") })
    }

    @Test func aTupleOfItemsAsAListIsTheSame() {
        #expect(
            Self.cleaned(["type": "array", "items": [["type": "number"], ["type": "string"], ["type": "number"]]])
                .schema == ["type": "array", "items": ["anyOf": [["type": "number"], ["type": "string"]]]])
    }

    @Test func prefixItemsWithItemsAfterThemAdmitBoth() {
        #expect(
            Self.cleaned(["prefixItems": [["type": "string"]], "items": ["type": "boolean"]]).schema
                == ["items": ["anyOf": [["type": "string"], ["type": "boolean"]]], "type": "array"])
    }

    @Test func propertiesAndRequiredStayOnObjectsOnly() {
        let (schema, diagnostics) = Self.cleaned([
            "type": "string", "properties": ["a": ["type": "string"]], "required": ["a"], "items": ["type": "string"],
        ])
        #expect(schema == ["type": "string"])
        #expect(
            Set(diagnostics.map(\.path))
                == [
                    "/tools/0/input_schema/properties/x/properties", "/tools/0/input_schema/properties/x/required",
                    "/tools/0/input_schema/properties/x/items",
                ])
    }

    @Test func aUnionTypeKeepsEachKeywordOnItsOwnBranch() {
        let (schema, _) = Self.cleaned([
            "type": ["string", "array", "null"], "items": ["type": "integer"], "maxLength": 5, "description": "ids",
        ])
        #expect(
            schema == [
                "nullable": true, "description": "ids",
                "anyOf": [["type": "string", "maxLength": 5], ["type": "array", "items": ["type": "integer"]]],
            ])
    }

    @Test func aUnionWithObjectKeepsPropertiesOnTheObjectBranch() {
        let (schema, _) = Self.cleaned([
            "type": ["object", "array"], "properties": ["a": ["type": "string"]], "required": ["a"],
        ])
        #expect(
            schema == [
                "anyOf": [
                    ["type": "object", "properties": ["a": ["type": "string"]], "required": ["a"]],
                    ["type": "array", "items": GeminiSchemaCleaner.anyValue],
                ]
            ])
    }

    @Test func aNullInAnEnumMakesItNullable() {
        let (schema, diagnostics) = Self.cleaned(["enum": ["a", "b", .null]])
        #expect(schema == ["enum": ["a", "b"], "nullable": true, "type": "string"])
        #expect(diagnostics.allSatisfy { $0.severity != .warning })
        #expect(Self.cleaned(["type": ["string", "null"], "enum": ["a", .null]]).schema?["enum"] == ["a"])
    }
}
