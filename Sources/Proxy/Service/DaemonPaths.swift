import Foundation

/// Where a background proxy keeps its state: `$XDG_STATE_HOME/switchboard/`,
/// else `~/.local/state/switchboard/`.
public struct DaemonPaths: Sendable, Hashable {
    /// The state directory.
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The directory the environment names (`XDG_STATE_HOME` when it is an
    /// absolute path, as the XDG spec requires, else `HOME`'s).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let stateHome = XDGBaseDirectory.path("XDG_STATE_HOME", fallback: ".local/state", environment: environment)
        directory = (stateHome as NSString).appendingPathComponent("switchboard")
    }

    /// The running proxy's ``DaemonState``, as JSON; present only while it
    /// listens.
    public var stateFile: String { file("proxy.json") }

    /// A copy of the last ``stateFile`` written, left when the proxy exits
    /// (stopped, killed or crashed), so that `proxy restart` starts it again
    /// with the options it ran with.
    public var lastStateFile: String { file("last-proxy.json") }

    /// The background proxy's standard output and error, appended to.
    public var logFile: String { file("proxy.log") }

    /// Held (flock) by `proxy start` while it starts one, so two starts at
    /// once cannot both spawn a server.
    var lockFile: String { file("start.lock") }

    private func file(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Creates the directory (private to the user, as the log may name
    /// models and paths) if missing.
    func createDirectory() throws(DaemonError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DaemonError("cannot create the state directory \(directory): \(error.localizedDescription)")
        }
    }
}
