import Foundation

/// A file only its owner may read, for files that hold secrets (logins,
/// and a config that may hold keys): written with mode 0600 in a directory
/// created with mode 0700 when it is missing, and replaced atomically (a
/// temporary file in the same directory, flushed, then renamed), so a crash
/// never leaves half a file and no one else ever sees the contents.
///
/// The proxy's own config directory (``XDGBaseDirectory/switchboardConfig(environment:)``)
/// is made 0700 when it already exists with a wider mode: `proxy serve`
/// creates it (for the default config) with the umask's 0755, and a login
/// written there later would sit in a directory anyone may list. Any
/// other directory (`$HOME`, one `--auth-file` names) is the user's, and
/// left as it is.
enum PrivateFile {
    /// Why the file could not be written; names the path, never the
    /// contents.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `data` to `path`, replacing what is there; `environment`
    /// says where the proxy's own config directory is.
    static func write(
        _ data: Data, to path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw Failure(description: "cannot create \(directory): \((error as NSError).localizedDescription)")
            }
        } else if Self.isOwnDirectory(directory, environment: environment) {
            try tighten(directory)
        }
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        // O_CREAT's mode is filtered by the umask, and an old temporary file
        // keeps its mode: set it outright.
        fchmod(descriptor, 0o600)
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == data.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot write \(path): \(reason)")
        }
    }

    /// Whether `directory` is the proxy's own config directory, however
    /// the path spells it (`a//b`, `a/./b`, a trailing slash).
    private static func isOwnDirectory(_ directory: String, environment: [String: String]) -> Bool {
        let own = XDGBaseDirectory.switchboardConfig(environment: environment)
        return (directory as NSString).standardizingPath == (own as NSString).standardizingPath
    }

    /// Makes `directory` owner-only when others may read or enter it.
    private static func tighten(_ directory: String) throws(Failure) {
        var status = stat()
        guard stat(directory, &status) == 0, status.st_mode & 0o077 != 0 else { return }
        guard chmod(directory, 0o700) == 0 else {
            throw Failure(
                description: "cannot make \(directory) private (mode 0700): \(String(cString: strerror(errno)))")
        }
    }
}
