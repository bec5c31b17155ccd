/// A problem in `models.yaml` that stops start-up: where it is, what is
/// wrong, and what to write instead.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The config file's path, as given.
    public var file: String
    /// 1-based line, when the problem has a place in the file.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// What is wrong.
    public var problem: String
    /// What to do about it.
    public var fix: String

    public init(file: String, line: Int? = nil, column: Int? = nil, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        self.fix = fix
    }

    /// `FILE:LINE:COLUMN: PROBLEM. FIX`, the shape compilers use, so
    /// editors and terminals can jump to the place.
    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return "\(place): \(problem). \(fix)"
    }
}
