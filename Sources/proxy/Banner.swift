import Foundation
import Proxy

/// What `serve` prints once it listens: where, from which config, and the
/// line to give Claude Code.
struct Banner: Sendable {
    let host: String
    let modelCount: Int
    let configFile: String
    let recordingTo: String?

    init(host: String, config: ProxyConfig, recordingTo: String?) {
        self.host = host
        modelCount = config.models.count
        configFile = config.file
        self.recordingTo = recordingTo
    }

    /// The URL of the address the server listens on, as it was given
    /// (`http://0.0.0.0:8082` for every address), but `localhost` as the
    /// one address it listens on, `127.0.0.1` (see
    /// ``LoopbackAddress/listeningAddress(for:)``): a client given
    /// `localhost` may try `::1` alone.
    static func listenURL(host: String, port: Int) -> String {
        let address = LoopbackAddress.listeningAddress(for: host)
        return "http://\(address.contains(":") ? "[\(address)]" : address):\(port)"
    }

    /// The URL clients on this machine use for a server listening on
    /// `host`: a wildcard address is reached through loopback.
    static func baseURL(host: String, port: Int) -> String {
        listenURL(host: ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host, port: port)
    }

    /// What to tell a user whose proxy listens where others can reach it,
    /// with routes that spend the user's own keys or logins: nil on a
    /// loopback address, or when every route passes the client's key on.
    static func exposureWarning(host: String, config: ProxyConfig) -> String? {
        guard !LoopbackAddress.isLoopback(host: host) else { return nil }
        let spending = config.models.filter { $0.apiKey != nil || $0.subscriptionReady }.map(\.modelID)
        guard !spending.isEmpty else { return nil }
        let shown = spending.prefix(5).joined(separator: ", ") + (spending.count > 5 ? ", ..." : "")
        return "listening on \(host), which is not a loopback address, while routes hold an api_key or a "
            + "subscription login (\(shown)): anyone who can reach this address can use them, and the proxy asks "
            + "clients for no token of its own. Listen on 127.0.0.1 (the default), or keep the port behind a "
            + "firewall"
    }

    func print(port: Int) {
        let url = Self.baseURL(host: host, port: port)
        let models = "\(modelCount) model\(modelCount == 1 ? "" : "s")"
        var lines = [
            "Switchboard proxy listening on \(Self.listenURL(host: host, port: port)) (\(models) from \(configFile))"
        ]
        if let recordingTo { lines.append("Recording to \(recordingTo)") }
        lines += ["Connect Claude Code with:", "ANTHROPIC_BASE_URL=\(url)"]
        // Written at once and unbuffered, so a script waiting for the line
        // sees it even when stdout is a pipe.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
