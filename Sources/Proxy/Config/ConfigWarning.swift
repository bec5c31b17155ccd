/// Something in `models.yaml` that does not stop start-up but that the user
/// should see: a field the proxy does not know (ignored), or one it keeps
/// but cannot act on yet. `proxy serve` prints these at start and `proxy
/// config check` with its report.
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    /// The config file's path, as given.
    public var file: String
    /// 1-based line of the node the warning is about.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// What was noticed and what the proxy does about it.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: warning: MESSAGE`, as compilers print warnings.
    public var description: String { "\(place): warning: \(message)" }

    /// `FILE:LINE:COLUMN: MESSAGE`, for a log line whose level already
    /// says `warning`.
    public var logMessage: String { "\(place): \(message)" }

    private var place: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return place
    }
}
