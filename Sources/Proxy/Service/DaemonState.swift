import Cassette
import Foundation

/// What a background proxy writes to ``DaemonPaths/stateFile`` once it
/// listens, and removes when it exits: enough for `proxy status` to describe
/// it, `proxy stop` to signal it, and `proxy restart` to start it again the
/// same way.
public struct DaemonState: Codable, Sendable, Hashable {
    public var pid: Int32
    /// The address it listens on, as given (`127.0.0.1`, `0.0.0.0`, ...).
    public var host: String
    /// The bound port (the real one when started with `--port 0`).
    public var port: Int
    /// The base URL clients use (`ANTHROPIC_BASE_URL`).
    public var address: String
    /// When it started listening.
    public var startedAt: Date
    /// The config file it serves, absolute; nil for `--demo`.
    public var configFile: String?
    public var logFile: String
    /// The recording directory, absolute; nil when not recording.
    public var recordDirectory: String?
    /// The Switchboard version of the running binary.
    public var version: String
    /// The `proxy serve` options it was started with, for `proxy restart`.
    public var arguments: [String]
    /// The directory it was started in, where relative paths in
    /// ``arguments`` are read from.
    public var workingDirectory: String?

    public init(
        pid: Int32, host: String, port: Int, address: String, startedAt: Date, configFile: String?, logFile: String,
        recordDirectory: String?, version: String, arguments: [String], workingDirectory: String? = nil
    ) {
        self.pid = pid
        self.host = host
        self.port = port
        self.address = address
        self.startedAt = startedAt
        self.configFile = configFile
        self.logFile = logFile
        self.recordDirectory = recordDirectory
        self.version = version
        self.arguments = arguments
        self.workingDirectory = workingDirectory
    }

    /// The option `proxy start` adds to the `serve` it spawns, naming the
    /// state directory; `serve` then writes this state once it listens.
    public static let serveOption = "--daemon-state"

    /// `serve`'s own arguments (after the subcommand) without
    /// ``serveOption`` and its value: what the user asked for, with the
    /// secrets of URLs redacted (see ``redactingURLs(_:)``).
    public static func userArguments(_ serveArguments: [String]) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in serveArguments {
            if skipNext {
                skipNext = false
            } else if argument == serveOption {
                skipNext = true
            } else if !argument.hasPrefix(serveOption + "=") {
                result.append(argument)
            }
        }
        return redactingURLs(result)
    }

    /// `arguments` with each URL's password and key parameters replaced by
    /// fingerprints, as `api_base` is shown: an `--otlp-endpoint
    /// http://user:pass@host/` went into the state file and the log as it
    /// was given.
    public static func redactingURLs(_ arguments: [String]) -> [String] {
        arguments.map { $0.contains("://") ? ModelEntry.urlRedactor.url($0) : $0 }
    }

    /// True when ``arguments`` lost a secret to ``redactingURLs(_:)``, so
    /// `proxy restart` cannot start the server with them again.
    public var argumentsAreRedacted: Bool { arguments.contains { $0.contains("[redacted:") } }

    /// Reads the state file; nil when there is none.
    public static func read(from path: String) throws(DaemonError) -> DaemonState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try decoder.decode(DaemonState.self, from: data)
        } catch {
            throw DaemonError("the state file \(path) is not valid: \(error)")
        }
    }

    /// Writes the state file whole: to a temporary file first, then renamed
    /// over, so a reader never sees half of it.
    public func write(to path: String) throws(DaemonError) {
        let temporary = path + ".\(pid).tmp"
        do {
            let data = try Self.encoder.encode(self)
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw DaemonError("rename: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw DaemonError("cannot write the state file \(path): \(error)")
        }
    }

    /// Removes the state file when it describes process `pid`, so an
    /// exiting proxy never removes a successor's.
    public static func remove(at path: String, ifOwnedBy pid: Int32) {
        guard let state = try? read(from: path), state.pid == pid else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension DaemonState {
    /// The state of this process, a `proxy serve` started by `proxy start`
    /// with state directory `paths`, now listening on `port`. Paths are made
    /// absolute, since `status` may run from another directory.
    ///
    /// The kept ``arguments`` name the bound port (`--port 0` would move a
    /// restarted proxy to another port, away from its clients) and the
    /// absolute config and recording paths (so options given to `proxy
    /// restart`, read from where it runs, can be laid over them).
    public static func current(
        host: String, port: Int, address: String, configFile: String?, recordDirectory: String?, paths: DaemonPaths,
        serveArguments: [String]
    ) -> DaemonState {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        var arguments = ServeOptionList(userArguments(serveArguments)).replacingValue(of: "--port", with: "\(port)")
        if let configFile { arguments = arguments.replacingValue(of: "--config", with: absolute(configFile)) }
        if let recordDirectory { arguments = arguments.replacingValue(of: "--record", with: absolute(recordDirectory)) }
        return DaemonState(
            pid: getpid(), host: host, port: port, address: address, startedAt: Date(),
            configFile: configFile.map(absolute), logFile: paths.logFile,
            recordDirectory: recordDirectory.map(absolute),
            version: CassetteFormat.softwareVersion, arguments: arguments.arguments,
            workingDirectory: FileManager.default.currentDirectoryPath)
    }
}
