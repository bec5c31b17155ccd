import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes log lines to standard error in swift-log's `StreamLogHandler`
/// format (`2026-12-04T06:43:13+0000 info switchboard.proxy: request_id=... [Proxy] message`),
/// rendering the metadata only when a line is written.
///
/// `StreamLogHandler` sorts and formats all of its metadata each time a key
/// is set. Every request sets two (Hummingbird's `hb.request.id`, then the
/// exchange's `request_id`), so a request paid for two renderings, about 11%
/// of a small request's instructions, for the one access line it writes at
/// `info` (or none above it).
struct ProxyLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Standard error, but for tests.
    let fileDescriptor: Int32

    init(
        label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil,
        fileDescriptor: Int32 = STDERR_FILENO
    ) {
        self.label = label
        logLevel = level
        self.metadataProvider = metadataProvider
        self.fileDescriptor = fileDescriptor
        Self.timeZoneRead
    }

    /// `localtime_r` reads the time zone only after `tzset`; once is enough
    /// (a logger is made per label, and some per exchange).
    private static let timeZoneRead: Void = tzset()

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            all.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            all.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = Self.timestamp()
        line += " \(event.level)"
        if !label.isEmpty { line += " \(label)" }
        line += ":"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        line += " [\(event.source)] \(event.message)\n"
        Self.emit(line, to: fileDescriptor)
    }

    /// The local time to the second, as `StreamLogHandler` writes it.
    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return "<unknown>" }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let length = strftime(buffer.baseAddress!, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: length), as: UTF8.self)
        }
    }

    /// One `write` per line: standard error is unbuffered, and a line
    /// written whole is not interleaved with another thread's.
    private static func emit(_ line: String, to fileDescriptor: Int32) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
