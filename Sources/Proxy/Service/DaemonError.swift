/// Why `proxy start`, `stop` or `status` could not do what was asked, said
/// so that the user knows what to do next.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
