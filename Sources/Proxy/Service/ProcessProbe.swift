import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What Linux's `/proc` says about a process that is not our child (a
/// background proxy belongs to init once `proxy start` has returned).
enum ProcessProbe {
    /// Whether `pid` is a live process. A zombie counts as gone: it has
    /// exited, and where nothing reaps it (a container whose init does not)
    /// it would otherwise look alive forever.
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            return false
        }
        // `PID (COMMAND) STATE ...`; the command may itself hold ") ".
        guard let close = stat.range(of: ") ", options: .backwards) else { return false }
        let state = stat[close.upperBound...].first
        return state != "Z" && state != "X"
    }

    /// The process's arguments, argv[0] first; nil when it is gone.
    static func arguments(of pid: Int32) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else {
            return nil
        }
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Whether `pid` is a `proxy serve` started for the state directory
    /// `directory`, rather than an unrelated process that reused the pid of
    /// one that died without removing its state file.
    static func isBackgroundProxy(_ pid: Int32, stateDirectory directory: String) -> Bool {
        guard isAlive(pid), let arguments = arguments(of: pid) else { return false }
        guard let option = arguments.firstIndex(of: DaemonState.serveOption), option + 1 < arguments.count else {
            return false
        }
        return arguments[option + 1] == directory
    }

    /// Waits until `pid` is gone; false if it still runs after `limit`.
    static func waitForExit(_ pid: Int32, limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isAlive(pid) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
