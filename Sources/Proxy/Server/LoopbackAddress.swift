import Wire

/// Whether a host name, a `Host` header's authority or an `Origin` names
/// this machine over loopback: `localhost` and any `*.localhost` (RFC 6761
/// keeps them on loopback), `127.0.0.0/8`, and `::1`; in any case, with any
/// port. What ``HostOriginPolicy`` lets through without asking, and what
/// `serve` warns about when it listens elsewhere.
///
/// Read in place, byte by byte, with no copy: a request's `Host` is read
/// each time (the proxy's hot path).
public enum LoopbackAddress {
    /// `host` with no port: `localhost`, `127.0.0.1`, `::1` or `[::1]`.
    public static func isLoopback(host: Substring) -> Bool {
        var name = host.utf8[...]
        if name.first == UInt8(ascii: "["), name.last == UInt8(ascii: "]") {
            name = name.dropFirst().dropLast()
        }
        // A fully qualified name may end with a dot.
        if name.last == UInt8(ascii: "."), name.count > 1 { name = name.dropLast() }
        if isLocalhost(name) || isIPv4Loopback(name) { return true }
        return name.elementsEqual("::1".utf8) || name.elementsEqual("0:0:0:0:0:0:0:1".utf8)
    }

    /// `host` with no port, as a whole string.
    public static func isLoopback(host: String) -> Bool {
        isLoopback(host: host[...])
    }

    /// The address a server given `host` listens on: `127.0.0.1` for
    /// `localhost` (any case, a final dot or not), `host` itself otherwise.
    /// A listening socket has one address, and a name is bound at the first
    /// address the resolver gives, which for `localhost` is `127.0.0.1` on
    /// one system and `::1` on another: named, it is the address the banner
    /// prints, and the same everywhere. A client that resolves `localhost`
    /// to `::1` first and does not try `127.0.0.1` is refused; it is given
    /// `http://127.0.0.1:PORT`.
    public static func listeningAddress(for host: String) -> String {
        var name = host.utf8[...]
        if name.last == UInt8(ascii: "."), name.count > 1 { name = name.dropLast() }
        let word = "localhost".utf8
        return name.count == word.count && hasSuffixIgnoringCase(name, word) ? "127.0.0.1" : host
    }

    /// A `Host` header's value: a host, and a port or not
    /// (`127.0.0.1:8082`, `localhost`, `[::1]:8082`).
    public static func isLoopback(authority: Substring) -> Bool {
        guard let host = hostName(ofAuthority: authority) else { return false }
        return isLoopback(host: host)
    }

    /// Whether a `Host` header's authority names this machine by a name a
    /// web page cannot put there (no public DNS answers for it): a loopback
    /// one, `0.0.0.0` (which Linux and macOS connect to loopback), or a name
    /// under `.internal` (ICANN keeps it private; `host.docker.internal` is
    /// how a container reaches the machine it runs on). Not a listening
    /// address's test: `0.0.0.0` listens everywhere.
    public static func isThisMachine(authority: Substring) -> Bool {
        guard let host = hostName(ofAuthority: authority) else { return false }
        if isLoopback(host: host) || host == "0.0.0.0" { return true }
        var name = host.utf8[...]
        if name.last == UInt8(ascii: "."), name.count > 1 { name = name.dropLast() }
        let word = ".internal".utf8
        return name.count > word.count && hasSuffixIgnoringCase(name, word)
    }

    /// An `Origin` header's value: `http` or `https`, then a loopback
    /// authority and nothing else (`http://localhost:3000`). `null`
    /// (a sandboxed frame, a file) is not loopback.
    public static func isLoopback(origin: String) -> Bool {
        guard let authority = authority(ofOrigin: origin[...]) else { return false }
        return isLoopback(authority: authority)
    }

    /// The host of an authority, without its port; nil when it is not a
    /// host and a port (a bracket left open, a port that is not digits).
    static func hostName(ofAuthority authority: Substring) -> Substring? {
        // By bytes: found by Character, the colon cost ~3.9 K instructions a request.
        let bytes = authority.utf8
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let rest = authority[bytes.index(after: close)...]
            guard rest.isEmpty || isPort(rest) else { return nil }
            return authority[...close]
        }
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")) else { return authority }
        guard isPort(authority[colon...]) else { return nil }
        return authority[..<colon]
    }

    /// The authority of an `http` or `https` origin; nil for any other.
    static func authority(ofOrigin origin: Substring) -> Substring? {
        let scheme: Int
        if hasPrefixIgnoringCase(origin.utf8, "http://".utf8) {
            scheme = 7
        } else if hasPrefixIgnoringCase(origin.utf8, "https://".utf8) {
            scheme = 8
        } else {
            return nil
        }
        var authority = origin.dropFirst(scheme)
        // Browsers send none, but a written-out origin may end with one.
        if authority.last == "/" { authority = authority.dropLast() }
        guard !authority.isEmpty, !authority.contains("/") else { return nil }
        return authority
    }

    /// `:` and one to five digits.
    private static func isPort(_ text: Substring) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.utf8.first == UInt8(ascii: ":") && (1...5).contains(digits.count)
            && digits.allSatisfy(\.isASCIIDigit)
    }

    /// `localhost` or a name under it, in any case.
    private static func isLocalhost(_ name: Substring.UTF8View.SubSequence) -> Bool {
        let word = "localhost".utf8
        guard name.count >= word.count, hasSuffixIgnoringCase(name, word) else { return false }
        return name.count == word.count
            || name[name.index(name.endIndex, offsetBy: -word.count - 1)] == UInt8(ascii: ".")
    }

    /// A dotted quad whose first number is 127.
    private static func isIPv4Loopback(_ name: Substring.UTF8View.SubSequence) -> Bool {
        var parts = 0
        var value = 0
        var digits = 0
        var first = -1
        for byte in name {
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                if first < 0 { first = value }
                parts += 1
                (value, digits) = (0, 0)
            } else if byte.isASCIIDigit, digits < 3 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                guard value <= 255 else { return false }
            } else {
                return false
            }
        }
        return digits > 0 && parts == 3 && first == 127
    }

    private static func hasPrefixIgnoringCase(_ text: Substring.UTF8View, _ prefix: String.UTF8View) -> Bool {
        text.count >= prefix.count && zip(text, prefix).allSatisfy { sameIgnoringCase($0, $1) }
    }

    private static func hasSuffixIgnoringCase(
        _ text: Substring.UTF8View.SubSequence, _ suffix: String.UTF8View
    ) -> Bool {
        zip(text.suffix(suffix.count), suffix).allSatisfy { sameIgnoringCase($0, $1) }
    }

    /// The same byte, or the same ASCII letter in either case.
    private static func sameIgnoringCase(_ byte: UInt8, _ other: UInt8) -> Bool {
        byte == other || (byte | 0x20 == other | 0x20 && (byte | 0x20) &- 0x61 < 26)
    }
}
