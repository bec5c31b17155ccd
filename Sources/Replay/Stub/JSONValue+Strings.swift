import Wire

extension JSONValue {
    /// Calls `body` with every string value (not member names), depth first
    /// in document order.
    func forEachString(_ body: (String) -> Void) {
        switch self {
        case .string(let text): body(text)
        case .array(let elements): for element in elements { element.forEachString(body) }
        case .object(let object): for member in object.members { member.value.forEachString(body) }
        case .null, .bool, .int, .double: break
        }
    }

    /// This value with every string value replaced by `transform`'s answer,
    /// visited in the order ``forEachString(_:)`` visits them; member names
    /// and order are kept.
    func mappingStrings(_ transform: (String) -> String) -> JSONValue {
        switch self {
        case .string(let text): .string(transform(text))
        case .array(let elements): .array(elements.map { $0.mappingStrings(transform) })
        case .object(let object):
            .object(JSONObject(object.members.map { .init(key: $0.key, value: $0.value.mappingStrings(transform)) }))
        case .null, .bool, .int, .double: self
        }
    }

    /// Every string value with its JSON pointer, in ``forEachString(_:)``'s order.
    func stringLeaves() -> [(pointer: String, value: String)] {
        var leaves: [(pointer: String, value: String)] = []
        collectStrings(pointer: "", into: &leaves)
        return leaves
    }

    private func collectStrings(pointer: String, into leaves: inout [(pointer: String, value: String)]) {
        switch self {
        case .string(let text): leaves.append((pointer, text))
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                element.collectStrings(pointer: pointer + "/" + String(index), into: &leaves)
            }
        case .object(let object):
            for member in object.members {
                let escaped = member.key.replacing("~", with: "~0").replacing("/", with: "~1")
                member.value.collectStrings(pointer: pointer + "/" + escaped, into: &leaves)
            }
        case .null, .bool, .int, .double: break
        }
    }
}
