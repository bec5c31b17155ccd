import AsyncHTTPClient
import Testing

@testable import Proxy

/// Upstream URLs split into the pool's key and the request target.
@Suite struct UpstreamOriginTests {
    @Test(arguments: [
        ("https://api.anthropic.com/v1/messages", true, "api.anthropic.com", 443, "/v1/messages", "api.anthropic.com"),
        (
            "http://127.0.0.1:8080/v1/chat/completions?x=1", false, "127.0.0.1", 8080, "/v1/chat/completions?x=1",
            "127.0.0.1:8080"
        ),
        ("HTTP://Host:80", false, "Host", 80, "/", "Host"),
        ("https://h.example?q=1#frag", true, "h.example", 443, "/?q=1", "h.example"),
        ("http://[::1]:9000/a#f", false, "::1", 9000, "/a", "[::1]:9000"),
        // User information is not sent; an empty port is the scheme's.
        ("https://user:pw@h.example:8443/v1", true, "h.example", 8443, "/v1", "h.example:8443"),
        ("http://h.example:/v1", false, "h.example", 80, "/v1", "h.example"),
        ("https://[2001:db8::1]/p", true, "2001:db8::1", 443, "/p", "[2001:db8::1]"),
    ])
    func aURLIsSplit(
        url: String, tls: Bool, host: String, port: Int, target: String, hostHeader: String
    ) throws {
        let (origin, parsedTarget) = try UpstreamOrigin.parse(url)
        #expect(origin == UpstreamOrigin(tls: tls, host: host, port: port))
        #expect(parsedTarget == target)
        #expect(origin.hostHeader == hostHeader)
    }

    @Test(arguments: [
        "api.anthropic.com/v1/messages", "http://", "http://user:pw@/", "http://host:0/", "http://host:65536/",
        "http://host:x/", "http://[::1/", "http://[::1]x/", "http://:80/",
    ])
    func aURLThatNamesNoUsableOriginIsRefused(url: String) {
        #expect(throws: HTTPClientError.self) { try UpstreamOrigin.parse(url) }
    }

    @Test func anotherSchemeIsRefusedByName() {
        #expect(throws: HTTPClientError.unsupportedScheme("ftp")) { try UpstreamOrigin.parse("ftp://host/file") }
    }
}
