import Wire

extension JSONValue {
    /// This value without the members and elements the patterns match, so two
    /// documents can be compared or hashed with volatile fields left out.
    /// The root itself is never removed.
    public func removing(_ patterns: [JSONPointerPattern]) -> JSONValue {
        guard !patterns.isEmpty else { return self }
        var path: [String] = []
        return removing(patterns, path: &path)
    }

    private func removing(_ patterns: [JSONPointerPattern], path: inout [String]) -> JSONValue {
        switch self {
        case .object(let object):
            var kept = JSONObject()
            for member in object.members {
                path.append(member.key)
                defer { path.removeLast() }
                if patterns.contains(where: { $0.matches(path) }) { continue }
                kept.append(key: member.key, value: member.value.removing(patterns, path: &path))
            }
            return .object(kept)
        case .array(let array):
            var kept: [JSONValue] = []
            for (index, element) in array.enumerated() {
                path.append(String(index))
                defer { path.removeLast() }
                if patterns.contains(where: { $0.matches(path) }) { continue }
                kept.append(element.removing(patterns, path: &path))
            }
            return .array(kept)
        default:
            return self
        }
    }
}
