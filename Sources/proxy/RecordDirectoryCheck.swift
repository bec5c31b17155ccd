import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether `serve --record DIR` could write its cassettes: `proxy restart`
/// asks before it stops the running proxy. The directory is created at
/// start when missing, so the check makes a throwaway entry where the start
/// would write (a file in the directory, or a directory in the nearest of
/// its parents that is there) and removes it at once. Asking `access(2)`
/// was not enough: it says yes to root for any directory, `/proc` too,
/// where the start then failed after the stop.
enum RecordDirectoryCheck {
    /// Why `directory` could not be recorded to; nil when it could.
    static func problem(_ directory: String) -> String? {
        var path = (directory as NSString).standardizingPath
        if !path.hasPrefix("/") {
            path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        }
        var isDirectory: ObjCBool = false
        var exists = true
        while !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            exists = false
            let parent = (path as NSString).deletingLastPathComponent
            // "/" is always there; the guard keeps a bad path from looping.
            guard parent != path else { return nil }
            path = parent
        }
        guard isDirectory.boolValue else {
            return "\(path) is not a directory, so the directory cannot be made there"
        }
        guard let failure = tryThrowawayEntry(in: path, directory: !exists) else { return nil }
        return exists
            ? "\(path) cannot be written to (\(failure))" : "a directory cannot be made in \(path) (\(failure))"
    }

    /// Makes and removes a file (or, with `directory`, a directory) in
    /// `parent`; the system's reason when it cannot be made.
    private static func tryThrowawayEntry(in parent: String, directory: Bool) -> String? {
        var template = Array((parent as NSString).appendingPathComponent(".switchboard-check-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            if directory { return mkdtemp(base) != nil }
            let descriptor = mkstemp(base)
            guard descriptor >= 0 else { return false }
            close(descriptor)
            return true
        }
        guard made else { return String(cString: strerror(errno)) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = directory ? rmdir(path) : unlink(path)
        return nil
    }
}
