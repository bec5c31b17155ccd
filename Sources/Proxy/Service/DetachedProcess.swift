import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts a program that outlives its parent: in a session of its own (no
/// terminal, so closing the shell does not hang it up), standard input from
/// /dev/null, standard output and error to a file, every signal at its
/// default and none blocked.
///
/// This is posix_spawn rather than swift-subprocess: Subprocess 1.0's `run`
/// always awaits the child's exit and tears it down when the awaiting task
/// is cancelled, which is the opposite of a daemon.
enum DetachedProcess {
    /// glibc's `POSIX_SPAWN_SETSID` (2.26 and later), which the Glibc module
    /// does not import since it sits behind `_GNU_SOURCE`.
    private static let setSessionFlag: Int32 = 0x80

    /// Spawns `executable` with `arguments` (argv[0] first) and the current
    /// environment; its output goes to `outputFile`, a descriptor open for
    /// writing.
    static func spawn(executable: String, arguments: [String], outputFile: Int32) throws(DaemonError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFile, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFile, 2)
        closeOnExec(allFrom: 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Ignored signals and the signal mask survive exec: a parent that
        // ignores SIGHUP (nohup) or blocks SIGTERM must not pass that on.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(
            &attributes, Int16(Self.setSessionFlag | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw DaemonError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Marks every descriptor from `lowest` on close-on-exec, so nothing of
    /// ours (the pipes of whoever ran `proxy start`, among them) stays open
    /// in the child: a caller reading our output to its end would otherwise
    /// wait for the server to exit. glibc's `addclosefrom_np` would do this
    /// in the child, but the Glibc module does not import it.
    private static func closeOnExec(allFrom lowest: Int32) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for descriptor in names.compactMap(Int32.init) where descriptor >= lowest {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// How a child of ours ended, without waiting; nil while it runs.
    static func exitStatus(of pid: pid_t) -> String? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(signal)"
    }
}
