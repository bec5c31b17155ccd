import HTTPTypes
import NIOHTTP1
import NIOHTTPTypesHTTP1
import Testing

@testable import Proxy

/// The intake's conversion of a request head to HTTPTypes' gives what
/// HTTPTypes' codec gave, target, authority and fields alike.
@Suite struct ServerHeadConversionTests {
    private static let heads: [(method: HTTPMethod, uri: String, headers: [(String, String)])] = [
        (.POST, "/v1/messages?beta=true", [("Host", "127.0.0.1:8082"), ("x-api-key", "k"), ("Content-Length", "9")]),
        (.GET, "/v1/models", [("HOST", "a"), ("host", "b"), ("cookie", "a=1; b=2"), ("cookie", "c=3")]),
        (.POST, "/", [("content-type", "application/json"), ("X-Bad Name", "v"), ("x-e", "é \t ok")]),
        (.GET, "//evil.example/x", []),
        (.GET, "http://h.example:8/p?q=1", [("Host", "h.example:8")]),
        (.OPTIONS, "*", [("hosts", "not the host")]),
    ]

    @Test func sameRequestAsHTTPTypesCodec() throws {
        for (method, uri, headers) in Self.heads {
            let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers))
            let ours = try HTTPRequest(serverHead: head)
            let codec = try HTTPRequest(head, secure: false, splitCookie: false)
            #expect(ours == codec, "\(uri) \(headers)")
            #expect(ours.headerFields.map(\.name.rawName) == codec.headerFields.map(\.name.rawName), "\(uri)")
        }
    }

    @Test func aMethodHTTPTypesCannotCarryIsRefusedAsByTheCodec() {
        let head = HTTPRequestHead(version: .http1_1, method: .RAW(value: "BAD METHOD"), uri: "/")
        #expect(throws: (any Error).self) { try HTTPRequest(head, secure: false, splitCookie: false) }
        #expect(throws: (any Error).self) { try HTTPRequest(serverHead: head) }
    }
}
