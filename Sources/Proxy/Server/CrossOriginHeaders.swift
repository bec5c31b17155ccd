import HTTPTypes

/// CORS for the web pages ``HostOriginPolicy`` lets through: a loopback
/// origin (`http://localhost:5173`) or one allowed (`--allowed-origin`).
/// Without these headers a browser sends such a page's simple request but
/// does not let the page read the answer, and answers a JSON `POST`'s
/// preflight (`OPTIONS`) with 405, so an admitted page still could not use
/// the proxy. A request with no `Origin` (the SDKs, curl, Claude Code) gets
/// none of them, and pays one header lookup the policy made already.
enum CrossOriginHeaders {
    /// What a page may read of an answer beyond the CORS-safelisted
    /// headers: the request id and the retry hints.
    static let exposed = "request-id, x-request-id, retry-after, retry-after-ms, x-should-retry"

    /// Added to every answer to a request from an admitted `origin`.
    static func add(origin: String, to headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = origin
        headers[.accessControlExposeHeaders] = exposed
        // The answer differs by Origin: a cache must not give it to another page.
        headers.append(HTTPField(name: .vary, value: "Origin"))
    }

    /// The answer to a preflight from an admitted `origin`: the methods the
    /// proxy serves, and the headers the page asked to send (its key among
    /// them), for ten minutes.
    static func preflight(origin: String, requestedHeaders: String?) -> HTTPFields {
        var headers = HTTPFields()
        add(origin: origin, to: &headers)
        headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
        if let requestedHeaders { headers[.accessControlAllowHeaders] = requestedHeaders }
        headers[.accessControlMaxAge] = "600"
        return headers
    }
}
