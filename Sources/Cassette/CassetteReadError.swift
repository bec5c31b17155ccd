/// Why a cassette could not be read. Each case reads as one line naming the
/// file, for `log-replay` to print as is.
public enum CassetteReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing exists at the path.
    case missingFile(path: String)
    /// The paths named hold no cassette (an empty directory, or one of other
    /// files): reading nothing would look like a recording of nothing.
    case noCassettes(path: String)
    /// The file exists but could not be read (permissions, I/O).
    case unreadable(path: String, reason: String)
    /// Neither LZ4 nor JSON Lines, or the first line is not a `cassette` header.
    case notACassette(path: String, reason: String)
    /// The header's `version` is newer than ``CassetteFormat/version``.
    case newerVersion(path: String, version: Int)
    /// A line before the last is not a JSON object with a `kind` (1-based
    /// line number in the decompressed text).
    case invalidLine(path: String, line: Int, reason: String)

    /// The file concerned.
    public var path: String {
        switch self {
        case .missingFile(let path), .noCassettes(let path), .unreadable(let path, _), .notACassette(let path, _),
            .newerVersion(let path, _), .invalidLine(let path, _, _):
            path
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let path):
            "\(path): no such file or directory"
        case .noCassettes(let path):
            "\(path): no cassettes there (no \(CassetteFormat.plainExtension) or \(CassetteFormat.compressedExtension) files)"
        case .unreadable(let path, let reason):
            "\(path): cannot be read: \(reason)"
        case .notACassette(let path, let reason):
            "\(path): not a cassette (\(reason))"
        case .newerVersion(let path, let version):
            "\(path): cassette format version \(version) is newer than this reader's"
                + " (\(CassetteFormat.version)); update switchboard to read it"
        case .invalidLine(let path, let line, let reason):
            "\(path): line \(line) is not a cassette event: \(reason)"
        }
    }
}
