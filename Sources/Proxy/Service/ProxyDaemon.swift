import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `proxy start`, `stop`, `restart` and `status`: a `proxy serve` in the
/// background, found again through its state file.
///
/// ```swift
/// let daemon = ProxyDaemon(paths: DaemonPaths())
/// let state = try await daemon.start(serveArguments: ["--port", "0"]) { print($0) }
/// // state.address answers until:
/// _ = try await daemon.stop(drainLimit: .seconds(30)) { print($0) }
/// ```
public struct ProxyDaemon: Sendable {
    /// What the state directory says, checked against the running processes.
    public enum Lookup: Sendable {
        case running(DaemonState)
        case notRunning
        /// A state file whose process is gone (killed, or crashed): its
        /// state, or nil when the file could not be read.
        case stale(DaemonState?)
    }

    /// How `stop` ended the proxy.
    public enum StopOutcome: Sendable {
        case notRunning
        /// Every running exchange finished within the limit.
        case drained(DaemonState)
        /// Exchanges still running at the limit were cancelled (their
        /// cassettes still closed cleanly).
        case cancelled(DaemonState)
        /// It ignored cancellation too and was killed.
        case killed(DaemonState)
    }

    public let paths: DaemonPaths
    /// The binary to run as `serve`: this one, wherever it was started from.
    public var executable = "/proc/self/exe"

    public init(paths: DaemonPaths) {
        self.paths = paths
    }

    /// Reads the state file and checks that its process is still the proxy
    /// that wrote it.
    public func lookup() -> Lookup {
        let state: DaemonState?
        do {
            state = try DaemonState.read(from: paths.stateFile)
        } catch {
            return .stale(nil)
        }
        guard let state else { return .notRunning }
        return ProcessProbe.isBackgroundProxy(state.pid, stateDirectory: paths.directory)
            ? .running(state) : .stale(state)
    }

    /// The state whose options `proxy restart` starts with: the running
    /// proxy's, else the last one's that listened, whether it was stopped,
    /// killed or crashed (`status` and `start` remove a dead one's state
    /// file, not this copy); nil when none has run here.
    public func lastState() -> DaemonState? {
        switch lookup() {
        case .running(let state):
            return state
        case .stale(let state):
            return (try? DaemonState.read(from: paths.lastStateFile)) ?? state
        case .notRunning:
            return try? DaemonState.read(from: paths.lastStateFile)
        }
    }

    /// Removes a stale state file; the note to print about it.
    public func removeStale(_ state: DaemonState?) -> String {
        try? FileManager.default.removeItem(atPath: paths.stateFile)
        guard let state else { return "note: removed an unreadable state file, \(paths.stateFile)" }
        return "note: removed a stale state file: pid \(state.pid) (\(state.address)) is gone"
    }

    /// Starts `proxy serve serveArguments` in the background and returns
    /// once it listens. Refuses when one is running already; clears a stale
    /// state file (telling `note`). When the child exits or stays silent
    /// past `limit`, the error carries the end of its log.
    public func start(
        serveArguments: [String], limit: Duration = .seconds(30), note: (String) -> Void
    ) async throws(DaemonError) -> DaemonState {
        try paths.createDirectory()
        let lock = try StartLock(path: paths.lockFile)
        defer { lock.release() }
        switch lookup() {
        case .running(let state):
            throw DaemonError(
                "a Switchboard proxy is already running: pid \(state.pid), \(state.address). "
                    + "See `proxy status`; stop it with `proxy stop`, or use `proxy restart`.")
        case .stale(let state):
            note(removeStale(state))
        case .notRunning:
            break
        }

        let log = try DaemonLog(path: paths.logFile)
        defer { log.close() }
        log.append(
            "==> \(Date().formatted(.iso8601)) proxy start: serve \(DaemonState.redactingURLs(serveArguments).joined(separator: " "))\n"
        )
        let pid = try DetachedProcess.spawn(
            executable: executable,
            arguments: ["proxy", "serve"] + serveArguments + [DaemonState.serveOption, paths.directory],
            outputFile: log.descriptor)

        let deadline = ContinuousClock.now + limit
        while true {
            if let ending = DetachedProcess.exitStatus(of: pid) {
                throw DaemonError(
                    "the proxy exited while starting (\(ending)). The end of \(paths.logFile):\n"
                        + log.tailSinceOpened())
            }
            if let state = try? DaemonState.read(from: paths.stateFile), state.pid == pid { return state }
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                throw DaemonError(
                    "the proxy did not start listening within \(limit.components.seconds) s, so it was stopped. "
                        + "The end of \(paths.logFile):\n" + log.tailSinceOpened())
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops the running proxy: SIGTERM, so it takes no new connections and
    /// running exchanges finish; at `drainLimit` SIGQUIT, which cancels the
    /// ones left; 10 s later SIGKILL. Returns once the process is gone.
    public func stop(drainLimit: Duration, note: (String) -> Void) async -> StopOutcome {
        let state: DaemonState
        switch lookup() {
        case .notRunning:
            return .notRunning
        case .stale(let stale):
            note(removeStale(stale))
            return .notRunning
        case .running(let running):
            state = running
        }
        defer { DaemonState.remove(at: paths.stateFile, ifOwnedBy: state.pid) }
        kill(state.pid, SIGTERM)
        if await ProcessProbe.waitForExit(state.pid, limit: drainLimit) { return .drained(state) }
        note("exchanges still running after \(drainLimit); cancelling them")
        kill(state.pid, SIGQUIT)
        if await ProcessProbe.waitForExit(state.pid, limit: .seconds(10)) { return .cancelled(state) }
        kill(state.pid, SIGKILL)
        _ = await ProcessProbe.waitForExit(state.pid, limit: .seconds(10))
        return .killed(state)
    }
}
