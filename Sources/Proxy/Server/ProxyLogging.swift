import Logging
import Synchronization

/// Process-wide logging for `proxy serve`: to standard error, at a level
/// named on the command line. Nothing the proxy logs carries a header value,
/// so keys never reach a log.
public enum ProxyLogging {
    /// The level names `--log-level` accepts.
    public static let levelNames = Logger.Level.allCases.map(\.rawValue)

    /// Sends every logger to standard error at `level` (trace, debug, info,
    /// notice, warning, error, critical); false when `level` is not a level.
    @discardableResult
    public static func bootstrap(level: String) -> Bool {
        guard let level = Logger.Level(rawValue: level.lowercased()) else { return false }
        LoggingSystem.bootstrap { label in ProxyLogHandler(label: label, level: level) }
        bootstrapped.store(true, ordering: .releasing)
        return true
    }

    private static let bootstrapped = Atomic(false)

    /// Writes the log lines still held (for at most a second): text written
    /// straight to standard error or output next then comes after them, as
    /// it was logged. Lines are written by a thread of their own (see
    /// `LogLineWriter`).
    public static func flush() {
        guard bootstrapped.load(ordering: .acquiring) else { return }
        LogLineWriter.standardError.flush(within: .seconds(1))
    }
}
