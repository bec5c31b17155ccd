import Wire

/// Assembles a function call's arguments from the pieces Gemini streams when
/// argument streaming is on (Vertex `streamFunctionCallArguments`, see
/// fixture `google-stream-tool-call-arguments`): each `partialArgs` entry
/// sets one value at a JSON path (`$.location`, `$.items[0].name`), and a
/// string with `willContinue: true` goes on in the next entry for the same
/// path.
struct GeminiPartialArguments: Sendable {
    enum PathComponent: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    private(set) var value: JSONValue = [:]
    /// Paths whose string value is still being streamed.
    private var continuingStrings: Set<String> = []
    /// The nulls arrays were padded with so far (see ``maxPaddedElements``).
    private var paddedElements = 0

    /// Whole `args` sent at once: merged over what is there.
    mutating func merge(_ arguments: JSONObject) {
        for member in arguments {
            value = Self.setting(member.value, at: [.key(member.key)][...], in: value)
        }
    }

    /// One `partialArgs` entry. Entries with an unreadable path are skipped.
    mutating func apply(_ partial: JSONValue) {
        guard let jsonPath = partial["jsonPath"]?.stringValue, let path = Self.components(of: jsonPath) else { return }
        let continues = partial["willContinue"]?.boolValue == true
        var newValue: JSONValue
        if let text = partial["stringValue"]?.stringValue {
            newValue = .string(text)
            if continuingStrings.contains(jsonPath), case .string(let earlier)? = Self.value(at: path[...], in: value) {
                newValue = .string(earlier + text)
            }
            if continues { continuingStrings.insert(jsonPath) } else { continuingStrings.remove(jsonPath) }
        } else if let number = partial["numberValue"], number.intValue != nil || number.doubleValue != nil {
            newValue = number
        } else if let flag = partial["boolValue"]?.boolValue {
            newValue = .bool(flag)
        } else if partial["nullValue"] != nil {
            newValue = .null
        } else {
            return
        }
        let padding = padding(before: path)
        guard padding <= Self.maxPaddedElements - paddedElements else { return }
        paddedElements += padding
        value = Self.setting(newValue, at: path[...], in: value)
    }

    /// Bounds the array an upstream can make us allocate with one path.
    static let maxArrayIndex = 100_000
    /// Bounds the nulls one call's entries may pad arrays with, all paths
    /// together: each may reach ``maxArrayIndex`` of a new array, and a
    /// stream of such entries (at other keys, or nested) grew without end.
    /// An entry past it is skipped.
    static let maxPaddedElements = 100_000

    /// The nulls setting a value at `path` would add before its indexes.
    private func padding(before path: [PathComponent]) -> Int {
        var container: JSONValue? = value
        var padding = 0
        for component in path {
            switch component {
            case .key(let key): container = container?[key]
            case .index(let index):
                padding += max(0, index - (container?.arrayValue?.count ?? 0))
                container = container?[index]
            }
        }
        return padding
    }

    /// Bounds how deep one path can nest: the path is a string, so the JSON
    /// parser's depth limit does not hold it, and setting or reading a value
    /// recurses once per component (a path of a million overflowed the stack).
    static let maxPathDepth = 64

    /// `$.a.b[0]['c d']` -> [a, b, 0, c d]; nil for anything else, or a path
    /// deeper than ``maxPathDepth``.
    static func components(of jsonPath: String) -> [PathComponent]? {
        var characters = Substring(jsonPath)
        guard characters.first == "$" else { return nil }
        characters = characters.dropFirst()
        var components: [PathComponent] = []
        while let first = characters.first {
            guard components.count < maxPathDepth else { return nil }
            if first == "." {
                characters = characters.dropFirst()
                let name = characters.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                components.append(.key(String(name)))
                characters = characters.dropFirst(name.count)
            } else if first == "[" {
                guard let close = characters.firstIndex(of: "]") else { return nil }
                let inner = characters[characters.index(after: characters.startIndex)..<close]
                if let index = Int(inner), (0...maxArrayIndex).contains(index) {
                    components.append(.index(index))
                } else if inner.count >= 2, let quote = inner.first, quote == "'" || quote == "\"", inner.last == quote
                {
                    components.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    return nil
                }
                characters = characters[characters.index(after: close)...]
            } else {
                return nil
            }
        }
        return components.isEmpty ? nil : components
    }

    private static func value(at path: ArraySlice<PathComponent>, in container: JSONValue?) -> JSONValue? {
        guard let first = path.first else { return container }
        switch first {
        case .key(let key): return value(at: path.dropFirst(), in: container?[key])
        case .index(let index): return value(at: path.dropFirst(), in: container?[index])
        }
    }

    private static func setting(
        _ newValue: JSONValue, at path: ArraySlice<PathComponent>, in container: JSONValue?
    ) -> JSONValue {
        guard let first = path.first else { return newValue }
        switch first {
        case .key(let key):
            var object = container?.objectValue ?? [:]
            object[key] = setting(newValue, at: path.dropFirst(), in: object[key])
            return .object(object)
        case .index(let index):
            var array = container?.arrayValue ?? []
            while array.count <= index { array.append(.null) }
            array[index] = setting(newValue, at: path.dropFirst(), in: array[index])
            return .array(array)
        }
    }
}
