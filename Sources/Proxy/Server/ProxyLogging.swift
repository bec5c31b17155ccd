import Logging

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
        return true
    }
}
