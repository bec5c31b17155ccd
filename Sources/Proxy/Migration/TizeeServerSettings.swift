import Foundation
import Wire

/// tizee/anthropic-proxy's `config.json` (`host`, `port`, `log_level`,
/// `log_file_path`, and `env`: variables it set for itself), said in this
/// proxy's terms: here they are options of `proxy serve` and `proxy start`
/// and the environment, not a file, so they are reported, not written.
public struct TizeeServerSettings: Sendable {
    /// The `proxy serve` options that do what the file did, in order.
    public var serveOptions: [String] = []
    /// What the file held that has no option here, said for the user;
    /// never a value of `env` (those may be keys).
    public var notes: [String] = []

    /// Reads the file's contents.
    public init(_ file: JSONValue) {
        for member in file.objectValue ?? JSONObject() {
            let value = member.value
            switch member.key {
            case "host":
                if let host = value.stringValue { serveOptions += ["--host", host] }
            case "port":
                if let port = value.intValue ?? value.stringValue.flatMap({ Int($0) }) {
                    serveOptions += ["--port", String(port)]
                }
            case "log_level":
                // tizee spells Python's levels (WARNING); these are the same
                // names in lower case.
                let level = value.stringValue?.lowercased() ?? ""
                if ProxyLogging.levelNames.contains(level) {
                    serveOptions += ["--log-level", level]
                } else {
                    notes.append("`log_level` is not a level here (\(ProxyLogging.levelNames.joined(separator: ", ")))")
                }
            case "log_file_path":
                notes.append(
                    "`log_file_path` has no counterpart: `proxy serve` logs to standard error, `proxy start` to "
                        + "$XDG_STATE_HOME/switchboard/proxy.log (~/.local/state/switchboard/proxy.log)")
            case "env":
                let names = (value.objectValue?.keys ?? []).map { "`\($0)`" }
                guard !names.isEmpty else { continue }
                notes.append(
                    "`env` set \(names.joined(separator: ", ")) for the proxy: set them in the environment the proxy "
                        + "runs in (values not shown; a route's ${NAME} reads them)")
            default:
                notes.append("`\(member.key)` has no counterpart")
            }
        }
    }
}
