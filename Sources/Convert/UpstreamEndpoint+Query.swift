import Wire

/// The whole URL of a generate call, query included: what the proxy sends
/// and what `log-replay verify` recomputes from a route line (whose
/// `upstream` is the route's `api_base`), so the two cannot disagree.
extension UpstreamEndpoint {
    /// The URL of the route's generate call: ``url(apiBase:route:stream:)``,
    /// then the query `apiBase` has (Azure's `api-version=...`; never a
    /// key, the config refuses `key=`), then, to an Anthropic-format
    /// upstream only, the client's `beta` parameters (see
    /// ``anthropicQuery(_:)``).
    public static func generateURL(apiBase: String, route: RouteOptions, stream: Bool, clientQuery: String?) -> String {
        let (base, baseQuery) = splitQuery(apiBase)
        let url = appendingQuery(baseQuery, to: url(apiBase: base, route: route, stream: stream))
        return route.upstreamDialect == .anthropic ? appendingQuery(anthropicQuery(clientQuery), to: url) : url
    }

    /// The part of a client's query an Anthropic upstream is given: its
    /// `beta` parameters, nothing else. Anthropic's API reads no other query
    /// parameter on these paths, and the rest is the client's own business:
    /// a `key=` or `token=` meant for the proxy (or for another provider)
    /// would otherwise reach the route's upstream beside the route's own key.
    public static func anthropicQuery(_ clientQuery: String?) -> String? {
        guard let clientQuery, !clientQuery.isEmpty else { return nil }
        if clientQuery == "beta=true" { return clientQuery }  // Claude Code's, every request
        let kept = URLQuery(clientQuery).parameters.filter { $0.name == "beta" }.map(\.text)
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    /// `apiBase` as the part a path is appended to, and its query.
    ///
    /// Searched by byte: `firstIndex(of: "?")` on the `String` walked it a
    /// Character (grapheme break) at a time, ~380 instructions a character
    /// of the base URL, 1.8% of a small request.
    public static func splitQuery(_ apiBase: String) -> (base: String, query: String?) {
        let utf8 = apiBase.utf8
        guard let mark = utf8.firstIndex(of: UInt8(ascii: "?")) else { return (apiBase, nil) }
        return (String(Substring(utf8[..<mark])), String(Substring(utf8[utf8.index(after: mark)...])))
    }

    /// `url` with `query` after it, after a `?` or, when `url` has a query
    /// already (Gemini's `alt=sse`), an `&`.
    public static func appendingQuery(_ query: String?, to url: String) -> String {
        guard let query, !query.isEmpty else { return url }
        return url + (url.utf8.contains(UInt8(ascii: "?")) ? "&" : "?") + query
    }
}
