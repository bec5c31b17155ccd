import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file, so that two `proxy start` at once cannot
/// both find nothing running and both spawn a server. The second waits for
/// the first, then finds its proxy running.
struct StartLock {
    private let descriptor: Int32

    init(path: String) throws(DaemonError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DaemonError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw DaemonError("cannot lock \(path): \(reason)")
        }
    }

    /// Unlocks (closing the file does).
    func release() {
        Glibc.close(descriptor)
    }
}
