import NIOHTTP1
import Wire

extension RequestIntakeHandler {
    /// Whether the connection closes once `head`'s request is answered: the
    /// client said so (`Connection: close`, any case, among other tokens),
    /// it speaks HTTP/1.0 (whose keep-alive is not offered), or it asked to
    /// upgrade the connection (`Connection: upgrade` with `Upgrade:`, as
    /// Java's HTTP client and `curl --http2` ask for h2c, or `CONNECT`). NIO's
    /// decoder parses nothing after an upgrade request, so its connection
    /// can carry no other: the request gets its answer in HTTP/1.1, and a
    /// `connection: close` the client can act on.
    static func closesConnection(_ head: HTTPRequestHead) -> Bool {
        guard head.version.minor >= 1, head.isKeepAlive, head.method != .CONNECT else { return true }
        return head.headers.contains(name: "upgrade")
            && head.headers[canonicalForm: "connection"].contains { String($0).equalsIgnoringASCIICase("upgrade") }
    }
}
