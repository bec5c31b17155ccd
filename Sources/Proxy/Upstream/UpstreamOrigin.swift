import AsyncHTTPClient

/// Where an upstream URL points: the scheme, host and port a connection is
/// made to (the pool's key), and the request target sent on it.
///
/// Parsed by hand from the URL's bytes: it runs once per upstream request,
/// and Foundation's `URL` costs more than the rest of the request head.
struct UpstreamOrigin: Hashable, Sendable {
    /// Whether the connection speaks TLS (`https`).
    let tls: Bool
    /// The host as written, without the brackets of an IPv6 literal.
    let host: String
    let port: Int

    /// The `host` header's value: the host, and the port when it is not the
    /// scheme's default.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (tls ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Splits `url` into its origin and request target (path and query;
    /// "/" when the URL has no path). Throws AsyncHTTPClient's errors for a
    /// URL it would have refused, so failures read as before.
    static func parse(_ url: String) throws -> (origin: UpstreamOrigin, target: String) {
        let tls: Bool
        var rest: Substring
        if let range = url.range(of: "://") {
            switch url[..<range.lowerBound].lowercased() {
            case "http": tls = false
            case "https": tls = true
            default: throw HTTPClientError.unsupportedScheme(String(url[..<range.lowerBound]))
            }
            rest = url[range.upperBound...]
        } else {
            throw HTTPClientError.invalidURL
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        guard !authority.isEmpty, !authority.contains("@") else { throw HTTPClientError.invalidURL }
        let host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw HTTPClientError.invalidURL }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw HTTPClientError.invalidURL }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        let port: Int
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else { throw HTTPClientError.invalidURL }
            port = number
        } else {
            port = tls ? 443 : 80
        }
        guard !host.isEmpty else { throw HTTPClientError.emptyHost }
        let target = rest.isEmpty ? "/" : rest.first == "?" ? "/" + rest : String(rest)
        return (UpstreamOrigin(tls: tls, host: String(host), port: port), target)
    }
}
