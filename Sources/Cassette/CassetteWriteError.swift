/// Why a cassette could not be written: the file or directory, and the
/// system's reason, in one line.
public struct CassetteWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or directory concerned.
    public var path: String
    /// What failed, e.g. "cannot create the file: Permission denied".
    public var reason: String
    /// The `errno` behind the failure, when there was one.
    public var code: Int32?

    public init(path: String, reason: String, code: Int32? = nil) {
        self.path = path
        self.reason = reason
        self.code = code
    }

    public var description: String { "cassette \(path): \(reason)" }
}
