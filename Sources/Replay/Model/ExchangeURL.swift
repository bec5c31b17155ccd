/// The address an exported or re-sent request goes to.
enum ExchangeURL {
    /// `override` when given, else `http://` plus the recorded `Host`, else
    /// the proxy's default address. No trailing slash.
    static func base(of exchange: Exchange, override: String?) -> String {
        if let override { return override.hasSuffix("/") ? String(override.dropLast()) : override }
        if let host = exchange.requestHeaders.first(where: { $0.name.lowercased() == "host" })?.value {
            return "http://" + host
        }
        return "http://127.0.0.1:8082"
    }
}
