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
        let name = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        return port == (tls ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Splits `url` into its origin and request target (path and query;
    /// "/" when the URL has no path). Throws AsyncHTTPClient's errors for a
    /// URL it would have refused, so failures read as before.
    static func parse(_ url: String) throws -> (origin: UpstreamOrigin, target: String) {
        // Bytes, not `String.range(of:)`: Foundation's string search cost
        // 16 K instructions a request here, 2.6% of a small one.
        // A scheme holds no `:`, so the first one ends it, and `//` follows.
        let bytes = Array(url.utf8)
        guard let schemeEnd = bytes.firstIndex(of: UInt8(ascii: ":")),
            bytes[(schemeEnd + 1)...].starts(with: "//".utf8)
        else { throw HTTPClientError.invalidURL }
        let tls: Bool
        switch String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased() {
        case "http": tls = false
        case "https": tls = true
        case let scheme: throw HTTPClientError.unsupportedScheme(scheme)
        }
        var rest = bytes[(schemeEnd + 3)...]
        let authorityEnd =
            rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let fragment = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<fragment] }
        // User information (`user:password@`) is not sent: keys go in
        // headers. Skipped, as AsyncHTTPClient did.
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        guard !authority.isEmpty else { throw HTTPClientError.invalidURL }
        let host: ArraySlice<UInt8>
        var portText: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw HTTPClientError.invalidURL }
            host = authority[(authority.startIndex + 1)..<close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { throw HTTPClientError.invalidURL }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = authority[..<colon]
            portText = authority[(colon + 1)...]
        } else {
            host = authority
        }
        let port: Int
        if let portText, !portText.isEmpty {
            guard let number = Int(String(decoding: portText, as: UTF8.self)), (1...65535).contains(number) else {
                throw HTTPClientError.invalidURL
            }
            port = number
        } else {
            port = tls ? 443 : 80
        }
        guard !host.isEmpty else { throw HTTPClientError.emptyHost }
        let path = String(decoding: rest, as: UTF8.self)
        let target = rest.isEmpty ? "/" : rest.first == UInt8(ascii: "?") ? "/" + path : path
        return (UpstreamOrigin(tls: tls, host: String(decoding: host, as: UTF8.self), port: port), target)
    }
}
