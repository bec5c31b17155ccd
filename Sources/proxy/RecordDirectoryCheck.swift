import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether `serve --record DIR` could write its cassettes, found without
/// creating anything: `proxy restart` asks before it stops the running
/// proxy. The directory is created at start when missing, so what must be
/// writable is the directory, or else the nearest of its parents that is
/// there.
enum RecordDirectoryCheck {
    /// Why `directory` could not be recorded to; nil when it could.
    static func problem(_ directory: String) -> String? {
        var path = (directory as NSString).standardizingPath
        if !path.hasPrefix("/") {
            path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        }
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            let parent = (path as NSString).deletingLastPathComponent
            // "/" is always there; the guard keeps a bad path from looping.
            guard parent != path else { return nil }
            path = parent
        }
        guard isDirectory.boolValue else {
            return "\(path) is not a directory, so the directory cannot be made there"
        }
        guard access(path, W_OK | X_OK) == 0 else {
            return "\(path) is not writable (\(String(cString: strerror(errno))))"
        }
        return nil
    }
}
