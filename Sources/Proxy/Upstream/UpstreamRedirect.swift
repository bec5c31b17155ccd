import AsyncHTTPClient
import Convert
import Foundation

/// What the proxy does with an upstream's redirect.
///
/// 307 and 308 keep the method and the body, so they are followed, when
/// the target is on the host and port the config names (an API that moved
/// a path). A redirect elsewhere is refused with 502 naming the target
/// host: following it would send the route's key to a host the config does
/// not name. 301, 302 and 303 turn a POST into a GET, which an API call
/// cannot be; they are refused too, naming the target.
enum UpstreamRedirect {
    /// The most redirects followed for one request.
    static let maxHops = 5

    /// The URL to send `request` to next when `response` is a redirect that
    /// may be followed; nil when it is no redirect; 502 when it may not be.
    static func target(
        of response: UpstreamResponse, for request: HTTPClientRequest, hops: Int, upstream: String
    ) throws(APIError) -> String? {
        let status = Int(response.status.code)
        guard (300..<400).contains(status), status != 304 else { return nil }
        guard let location = response.headers.first(name: "location"), !location.isEmpty,
            let from = URL(string: request.url), let to = URL(string: location, relativeTo: from)?.absoluteURL
        else {
            throw refusal(upstream, "answered HTTP \(status) with no usable `location`")
        }
        let host = to.host.map { "\($0)\(to.port.map { ":\($0)" } ?? "")" } ?? location
        guard sameOrigin(from, to) else {
            throw refusal(
                upstream,
                "redirected (HTTP \(status)) to another host, `\(host)`; not followed, so the key does not go to "
                    + "a host the config does not name (set api_base to the new address if it is right)")
        }
        guard status == 307 || status == 308 else {
            throw refusal(
                upstream,
                "redirected (HTTP \(status)) to \(to.path); only 307 and 308 keep a POST a POST, so it is not "
                    + "followed (set api_base to the new address)")
        }
        guard hops < maxHops else {
            throw refusal(upstream, "redirected more than \(maxHops) times")
        }
        return to.absoluteString
    }

    /// The same scheme, host (in any case) and port, read as the upstream
    /// client reads them; a URL it cannot send to is no origin.
    private static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        guard let from = try? UpstreamOrigin.parse(a.absoluteString).origin,
            let to = try? UpstreamOrigin.parse(b.absoluteString).origin
        else { return false }
        return from.tls == to.tls && from.port == to.port && from.host.lowercased() == to.host.lowercased()
    }

    private static func refusal(_ upstream: String, _ what: String) -> APIError {
        APIError(status: 502, type: "api_error", message: "upstream \(upstream) \(what)")
    }
}
