import Logging
import NIOConcurrencyHelpers
import NIOPosix
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes log lines to standard error in swift-log's `StreamLogHandler`
/// format (`2026-12-04T06:43:13+0000 info switchboard.proxy: request_id=... [Proxy] message`),
/// rendering the metadata only when a line is written, through a
/// ``LogLineWriter`` so that no caller waits on standard error. Control
/// characters in the message and the metadata are escaped
/// (``ControlCharacterEscape``): every record stays one line, whatever text
/// a client put in a model name, a path or a header.
///
/// `StreamLogHandler` sorts and formats all of its metadata each time a key
/// is set. Every request set two (Hummingbird's `hb.request.id`, then the
/// exchange's `request_id`), so a request paid for two renderings, about 11%
/// of a small request's instructions, for the one access line it writes at
/// `info` (or none above it).
///
/// Hummingbird's `hb.request.id` is not written: `request_id`, the id the
/// client gets as `request-id` and the cassette as `x`, names the same
/// request, and rendering Hummingbird's (its `description`) cost ~2.5 K
/// instructions an access line. The proxy's own connections
/// (``ExchangeChannel``) no longer set it; the other servers built on
/// Hummingbird's `Application` (the stub upstream, a login's callback
/// server) still do.
struct ProxyLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Standard error's writer, but for tests.
    let output: LogLineWriter

    init(
        label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil,
        output: LogLineWriter = .standardError
    ) {
        self.label = label
        logLevel = level
        self.metadataProvider = metadataProvider
        self.output = output
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
        let level = Self.isServerCancellation(event) ? Logger.Level.debug : event.level
        guard level >= logLevel else { return }
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
        // Bytes, not a String: each `String.append` cost ~440 instructions,
        // and a line took 18 of them (the access line, every request).
        var line: [UInt8] = []
        line.reserveCapacity(256)
        Self.appendTimestamp(to: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: level.rawValue.utf8)
        if !label.isEmpty {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: label.utf8)
        }
        line.append(UInt8(ascii: ":"))
        for (key, value) in all.sorted(by: { $0.key < $1.key }) where key != Self.hummingbirdRequestID {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            Self.append(value, to: &line)
        }
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: event.source.utf8)
        line.append(contentsOf: "] ".utf8)
        // Messages and metadata quote what clients and upstreams chose (a
        // model name, a path, an error message): escaped, so a newline in
        // one cannot forge a line of its own nor an ESC drive the terminal.
        ControlCharacterEscape.append(event.message.description, to: &line)
        line.append(UInt8(ascii: "\n"))
        output.write(line)
        // An error may be the last thing the process says before it stops
        // (a crash skips the exit's flush): written now, for at most a
        // moment, except on an event loop, which never waits on the log.
        if level >= .error, MultiThreadedEventLoopGroup.currentEventLoop == nil {
            output.flush(within: .milliseconds(250))
        }
    }

    private static let hummingbirdRequestID = "hb.request.id"

    /// Hummingbird's server telling that it was cancelled, which it reports
    /// as two errors ("Waiting on child channel: CancellationError()",
    /// "Server shutdown error: Already closed"): SIGQUIT (`proxy stop` past
    /// its --timeout, `restart`) cancels it on purpose, and a demo whose
    /// port is taken cancels its built-in upstream; the lines read as
    /// failures in the log just before the real reason. Written at debug.
    static func isServerCancellation(_ event: LogEvent) -> Bool {
        guard event.level == .error, event.source == "HummingbirdCore" else { return false }
        let message = event.message.description
        return message == "Waiting on child channel: CancellationError()"
            || message == "Server shutdown error: Already closed"
    }

    /// A metadata value as `description` writes it, control characters
    /// escaped; a string's own bytes (`description` of a
    /// `Logger.MetadataValue` went through its `CustomStringConvertible`
    /// path: 1.2 K instructions a value).
    private static func append(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        switch value {
        case .string(let text): ControlCharacterEscape.append(text, to: &line)
        case .stringConvertible(let convertible): ControlCharacterEscape.append(convertible.description, to: &line)
        default: ControlCharacterEscape.append(value.description, to: &line)
        }
    }

    /// The last second written and its text: `localtime_r` and `strftime`
    /// cost 1.8 K instructions a line, and lines come many to a second.
    /// A lock ThreadSanitizer sees (see tools/sanitizers.sh): every event
    /// loop logs.
    private static let lastTimestamp = NIOLockedValueBox<(second: time_t, text: [UInt8])>((-1, []))

    /// The local time to the second, as `StreamLogHandler` writes it.
    private static func appendTimestamp(to line: inout [UInt8]) {
        var now = time(nil)
        let cached = lastTimestamp.withLockedValue { $0.second == now ? $0.text : nil }
        if let cached {
            line.append(contentsOf: cached)
            return
        }
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else {
            line.append(contentsOf: "<unknown>".utf8)
            return
        }
        let text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let length = strftime(buffer.baseAddress!, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
            return [UInt8](UnsafeRawBufferPointer(start: buffer.baseAddress, count: length))
        }
        lastTimestamp.withLockedValue { $0 = (now, text) }
        line.append(contentsOf: text)
    }
}
