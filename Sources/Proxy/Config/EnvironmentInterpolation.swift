/// `${NAME}` references in config values, replaced from the environment so
/// keys stay out of the file.
enum EnvironmentInterpolation {
    /// A `${NAME}` that the environment does not define (or defines empty).
    struct UndefinedVariable: Error {
        var name: String
    }

    /// An unterminated `${` or an empty name.
    struct MalformedReference: Error {}

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
            guard let value = environment[name], !value.isEmpty else { throw UndefinedVariable(name: name) }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
