import Foundation

/// A file only its owner may read, for files that hold secrets (logins,
/// and a config that may hold keys): written with mode 0600 in a directory
/// created with mode 0700 when it is missing, and replaced atomically (a
/// temporary file in the same directory, flushed, then renamed), so a crash
/// never leaves half a file and no one else ever sees the contents.
enum PrivateFile {
    /// Why the file could not be written; names the path, never the
    /// contents.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `data` to `path`, replacing what is there.
    static func write(_ data: Data, to path: String) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw Failure(description: "cannot create \(directory): \((error as NSError).localizedDescription)")
            }
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
}
