import Foundation

/// What a test needs to run the built `proxy` as a user would: a fresh
/// directory for its HOME and files, and an environment with no config of
/// the user's and no keys.
enum ExecutableScratch {
    /// A new directory under the temporary folder, named `prefix-UUID`.
    static func directory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// HOME and PATH only.
    static func environment(home: URL) -> [String: String] {
        ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }
}
