import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The background proxy's log file, opened for appending by `proxy start`,
/// which hands it to the child as standard output and error and, when the
/// child fails to start, shows what it wrote.
struct DaemonLog {
    let path: String
    /// Open for appending; the child gets its own copy.
    let descriptor: Int32
    /// The log's size when opened: where this start's lines begin.
    private let startOffset: UInt64

    init(path: String) throws(DaemonError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DaemonError("cannot open the log \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        startOffset = fstat(descriptor, &info) == 0 ? UInt64(info.st_size) : 0
    }

    func append(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// The last `lines` lines written since this start began, indented, so
    /// an error can show why the child stopped (a config error, a port in use).
    func tailSinceOpened(lines: Int = 20) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "  (the log cannot be read)" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: startOffset)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let tail = text.split(separator: "\n").suffix(lines)
        return tail.isEmpty ? "  (nothing)" : tail.map { "  " + $0 }.joined(separator: "\n")
    }
}
