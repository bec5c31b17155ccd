import Convert

/// Which requests the proxy answers, judged by their `Host` and `Origin`,
/// so that a web page the user visits cannot spend the routes' keys and
/// logins.
///
/// A page can `POST` to `http://127.0.0.1:8082` as `text/plain`, which a
/// browser sends with no CORS preflight: it is refused when its `Origin` is
/// not a loopback one. A page can also re-point its own name at 127.0.0.1
/// (DNS rebinding) and read the answers as same-origin: its requests carry
/// `Host: evil.example`, refused when the proxy listens on a loopback
/// address. Clients that are not browsers (the SDKs, curl, Claude Code)
/// send no `Origin` and address the proxy by the name it listens on, so
/// they pass untouched. On any other address the `Host` is not checked:
/// clients there reach it by names the proxy cannot know.
///
/// More hosts and origins are allowed with `--allowed-host` and
/// `--allowed-origin`, and the config's `allowed_hosts:` and
/// `allowed_origins:` (`*` allows any). The config's lists are read only
/// when a request would be refused, so a reload applies to the next one
/// and an ordinary request pays for no lock.
public struct HostOriginPolicy: Sendable {
    /// The proxy listens on a loopback address: `Host` is checked.
    let checksHost: Bool
    /// `--allowed-host`: a name (any port) or a name and a port.
    let allowedHosts: [String]
    /// `--allowed-origin`: `scheme://host[:port]`.
    let allowedOrigins: [String]
    /// The config in force, with its `allowed_hosts:` and `allowed_origins:`.
    let routes: LiveRouter
    /// The `Host` values nearly every client sends (`127.0.0.1:8082`,
    /// `localhost:8082`), passed by one comparison each: read through,
    /// `Host` cost a request ~3 K instructions. Empty for port 0, which
    /// names no port yet.
    let usualAuthorities: [String]

    init(
        listeningOn host: String, port: Int, allowedHosts: [String], allowedOrigins: [String], routes: LiveRouter
    ) {
        checksHost = LoopbackAddress.isLoopback(host: host)
        usualAuthorities =
            port == 0 ? [] : Array(Set(["127.0.0.1", "localhost", host].map { "\($0):\(port)" })).sorted()
        self.allowedHosts = allowedHosts
        self.allowedOrigins = allowedOrigins
        self.routes = routes
    }

    /// The 403 for a request with this `Host` (its authority) and `Origin`;
    /// nil when it may be served.
    func refusal(authority: String?, origin: String?) -> APIError? {
        if checksHost, let authority, !usualAuthorities.contains(authority),
            !LoopbackAddress.isThisMachine(authority: authority[...])
        {
            let config = routes.router.config
            let name = LoopbackAddress.hostName(ofAuthority: authority[...]).map(String.init) ?? authority
            if !Self.allows([authority, name], in: allowedHosts + config.allowedHosts) {
                return APIError(
                    status: 403, type: APIError.anthropicType(forStatus: 403),
                    message: "the request's Host, \"\(authority)\", is not a loopback name, and this proxy listens "
                        + "on a loopback address: a web page re-pointing its own name here (DNS rebinding) would "
                        + "send such requests. Address the proxy as 127.0.0.1 or localhost, or allow this host with "
                        + "`proxy serve --allowed-host '\(name)'` or `allowed_hosts: [\"\(name)\"]` in the config")
            }
        }
        if let origin, !LoopbackAddress.isLoopback(origin: origin) {
            let config = routes.router.config
            if !Self.allows([origin], in: allowedOrigins + config.allowedOrigins) {
                return APIError(
                    status: 403, type: APIError.anthropicType(forStatus: 403),
                    message: "the request comes from a web page, Origin \"\(origin)\", which is not on this "
                        + "machine: any page the browser opens could otherwise spend this proxy's keys. Allow it with "
                        + "`proxy serve --allowed-origin '\(origin)'` or `allowed_origins: [\"\(origin)\"]` in the config"
                )
            }
        }
        return nil
    }

    /// Whether one of `values` is in `allowed` (both as ``normalized(_:)``
    /// makes them), or `allowed` holds `*`.
    private static func allows(_ values: [String], in allowed: [String]) -> Bool {
        let allowed = Set(allowed.map(normalized))
        return allowed.contains("*") || values.contains { allowed.contains(normalized($0)) }
    }

    /// Why `entry` cannot be an allowed host (`--allowed-host`,
    /// `allowed_hosts:`), said after its value; nil when it can: `*`, a
    /// name, or a name and a port.
    public static func problem(allowedHost entry: String) -> String? {
        if entry == "*" { return nil }
        if entry.contains("://") || entry.contains("/") {
            return "which is not a host name (write the name alone, without a scheme or a path)"
        }
        guard let name = LoopbackAddress.hostName(ofAuthority: entry[...]), !name.isEmpty else {
            return "which is not a host name or `name:port`"
        }
        return nil
    }

    /// Why `entry` cannot be an allowed origin (`--allowed-origin`,
    /// `allowed_origins:`), said after its value; nil when it can: `*`,
    /// `null` (a file, a sandboxed frame, some desktop apps), or a scheme
    /// and what follows `://` up to no path, as `Origin` is sent: web pages'
    /// `http://` and `https://`, and apps' and extensions' own schemes
    /// (`app://obsidian.md`, `chrome-extension://ID`, `tauri://localhost`).
    public static func problem(allowedOrigin entry: String) -> String? {
        if entry == "*" || entry == "null" { return nil }
        let problem =
            "which is not an origin as it is sent: a scheme, `://`, a host and a port or not "
            + "(`http://localhost:3000`, `app://obsidian.md`), or `null`"
        guard let separator = entry.range(of: "://") else { return problem }
        let scheme = entry[..<separator.lowerBound]
        var rest = entry[separator.upperBound...]
        if rest.last == "/" { rest = rest.dropLast() }
        guard isScheme(scheme), !rest.isEmpty, !rest.contains("/") else { return problem }
        return nil
    }

    /// RFC 3986's scheme: a letter, then letters, digits, `+`, `-` or `.`.
    private static func isScheme(_ text: Substring) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy { isLetter($0) || $0.isASCIIDigit || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }

    /// Lower case (host names and schemes are compared so), without a
    /// trailing `/` (an origin written out as a URL).
    static func normalized(_ text: String) -> String {
        var text = text.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
