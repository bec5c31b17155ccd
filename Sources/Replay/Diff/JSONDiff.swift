import Wire

/// One place where two JSON documents differ.
public struct JSONDifference: Sendable, Hashable {
    /// Where, as a JSON pointer; a caller may prefix it with a leg or an
    /// event index.
    public var pointer: String
    /// The value expected there; nil when it should not exist.
    public var expected: JSONValue?
    /// The value found there; nil when it is missing.
    public var actual: JSONValue?

    public init(pointer: String, expected: JSONValue?, actual: JSONValue?) {
        self.pointer = pointer
        self.expected = expected
        self.actual = actual
    }

    /// `{"pointer","expected","actual"}`, a missing side as absent.
    public var json: JSONValue {
        var object: JSONObject = ["pointer": .string(pointer)]
        if let expected { object["expected"] = expected }
        if let actual { object["actual"] = actual }
        return .object(object)
    }
}

/// Structural JSON comparison: key order ignored, integers kept apart from
/// doubles, arrays compared by index, and ignored paths skipped whole.
public struct JSONDiff: Sendable {
    /// Paths to skip, with everything under them.
    public var ignoring: [JSONPointerPattern]

    public init(ignoring: [JSONPointerPattern] = []) { self.ignoring = ignoring }

    /// Every difference, leaves first in document order; empty when equal.
    public func differences(expected: JSONValue?, actual: JSONValue?) -> [JSONDifference] {
        var found: [JSONDifference] = []
        var path: [String] = []
        compare(expected, actual, path: &path, into: &found)
        return found
    }

    /// True when the documents are equal outside the ignored paths.
    public func equal(_ expected: JSONValue?, _ actual: JSONValue?) -> Bool {
        differences(expected: expected, actual: actual).isEmpty
    }

    private func compare(
        _ expected: JSONValue?, _ actual: JSONValue?, path: inout [String], into found: inout [JSONDifference]
    ) {
        if ignoring.contains(where: { $0.matches(path) }) { return }
        switch (expected, actual) {
        case (.object(let left), .object(let right)):
            for member in left.members {
                path.append(member.key)
                compare(member.value, right[member.key], path: &path, into: &found)
                path.removeLast()
            }
            for member in right.members where left[member.key] == nil {
                path.append(member.key)
                compare(nil, member.value, path: &path, into: &found)
                path.removeLast()
            }
        case (.array(let left), .array(let right)):
            for index in 0..<max(left.count, right.count) {
                path.append(String(index))
                compare(left.element(at: index), right.element(at: index), path: &path, into: &found)
                path.removeLast()
            }
        default:
            if expected != actual {
                found.append(JSONDifference(pointer: JSONPointer.string(path), expected: expected, actual: actual))
            }
        }
    }
}

extension Array {
    /// The element at `index`, or nil past either end.
    func element(at index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
