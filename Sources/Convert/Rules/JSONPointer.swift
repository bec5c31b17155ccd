import Wire

/// An RFC 6901 JSON pointer (`/tools/0/name`, `~1` for `/`, `~0` for `~`),
/// to set or remove one value of a request.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    let tokens: [String]

    /// Nil when `text` is not a pointer (it must be empty or start with `/`).
    public init?(_ text: String) {
        guard text.isEmpty || text.hasPrefix("/") else { return nil }
        self.text = text
        tokens =
            text.isEmpty
            ? []
            : text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(Self.unescape)
    }

    /// `~1` is `/`, `~0` is `~` (in that order, so `~01` is `~1`).
    private static func unescape(_ token: Substring) -> String {
        var result = ""
        var escaping = false
        for character in token {
            if escaping {
                result.append(character == "1" ? "/" : character == "0" ? "~" : character)
                escaping = false
            } else if character == "~" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    public var description: String { text }

    /// Sets the value at the pointer, creating missing objects on the way;
    /// in an array, an index or `-` (append). False when a step goes through
    /// something that is neither (a string, an index out of range).
    func set(_ value: JSONValue, in root: inout JSONValue) -> Bool {
        Self.set(value, in: &root, tokens: tokens[...])
    }

    /// Removes the value at the pointer; false when there is none.
    func remove(from root: inout JSONValue) -> Bool {
        guard !tokens.isEmpty else { return false }
        return Self.remove(from: &root, tokens: tokens[...])
    }

    private static func set(_ value: JSONValue, in node: inout JSONValue, tokens: ArraySlice<String>) -> Bool {
        guard let token = tokens.first else {
            node = value
            return true
        }
        let rest = tokens.dropFirst()
        switch node {
        case .object(var object):
            var child = object[token] ?? .object(JSONObject())
            guard set(value, in: &child, tokens: rest) else { return false }
            object[token] = child
            node = .object(object)
            return true
        case .array(var array):
            if token == "-" {
                var child = JSONValue.object(JSONObject())
                guard set(value, in: &child, tokens: rest) else { return false }
                array.append(child)
            } else {
                guard let index = Int(token), array.indices.contains(index) else { return false }
                guard set(value, in: &array[index], tokens: rest) else { return false }
            }
            node = .array(array)
            return true
        default:
            return false
        }
    }

    private static func remove(from node: inout JSONValue, tokens: ArraySlice<String>) -> Bool {
        guard let token = tokens.first else { return false }
        let rest = tokens.dropFirst()
        switch node {
        case .object(var object):
            if rest.isEmpty {
                guard object.removeValue(forKey: token) != nil else { return false }
            } else {
                guard var child = object[token], remove(from: &child, tokens: rest) else { return false }
                object[token] = child
            }
            node = .object(object)
            return true
        case .array(var array):
            guard let index = Int(token), array.indices.contains(index) else { return false }
            if rest.isEmpty {
                array.remove(at: index)
            } else {
                guard remove(from: &array[index], tokens: rest) else { return false }
            }
            node = .array(array)
            return true
        default:
            return false
        }
    }
}
