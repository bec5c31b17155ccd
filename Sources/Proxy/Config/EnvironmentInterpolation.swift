/// `${NAME}` references in config values, replaced from the environment so
/// keys stay out of the file.
enum EnvironmentInterpolation {
    /// A `${NAME}` that the environment does not define (or defines empty).
    struct UndefinedVariable: Error {
        var name: String
    }

    /// An unterminated `${` or an empty name.
    struct MalformedReference: Error {}

    /// A `${...}` holding what cannot be a variable's name (letters, digits
    /// and `_`, not starting with a digit): often the key itself, written
    /// where its variable's name belongs, so the error does not quote it.
    struct NotAName: Error {}

    /// `text` with every `${NAME}` replaced. A `$` not followed by `{` is
    /// kept as it is, since keys and URLs may contain one.
    static func expand(_ text: String, environment: [String: String]) throws -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { throw MalformedReference() }
            let name = String(rest[start.upperBound..<end])
            guard !name.isEmpty else { throw MalformedReference() }
            guard isName(name) else { throw NotAName() }
            guard let value = environment[name], !value.isEmpty else { throw UndefinedVariable(name: name) }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// Whether `name` is one a shell can export: `[A-Za-z_][A-Za-z0-9_]*`.
    static func isName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
        }
    }
}
