import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Proxy

/// The upstream request head written as bytes: the same bytes NIO's client
/// pipeline (validator, encoder, and the decompressor's `Accept-Encoding`)
/// wrote for the same request, and refused where it refused.
@Suite struct UpstreamRequestHeadTests {
    private static let routeHeaders: [(String, String)] = [
        ("content-type", "application/json"), ("accept", "text/event-stream"), ("user-agent", "switchboard-proxy"),
        ("anthropic-version", "2023-06-01"), ("x-api-key", "sk-ant-123"),
    ]

    private static let cases: [(name: String, headers: [(String, String)], target: String, length: Int)] = [
        ("route headers", routeHeaders, "/v1/messages?beta=true", 123),
        ("a host of its own", routeHeaders + [("Host", "other.example")], "/v1/messages", 5),
        ("an encoding asked for", routeHeaders + [("accept-encoding", "identity")], "/v1/chat/completions", 7),
        ("framing headers from a rule", [("Content-Length", "99"), ("transfer-encoding", "chunked")], "/", 3),
        ("a length of a rule's with a line break, replaced", [("Content-Length", "1\r\nx: y")], "/", 3),
        ("no body", [("authorization", "Bearer t")], "/v1/models", 0),
        ("repeated names", [("anthropic-beta", "a"), ("anthropic-beta", "b"), ("x-e", "é\tv")], "/p", 1),
    ]

    @Test func sameBytesAsNIOsPipeline() throws {
        for (name, headers, target, length) in Self.cases {
            let ours = try UpstreamRequestHead.encode(
                method: .POST, target: target, headers: HTTPHeaders(headers), host: "up.example:8443",
                contentLength: length)
            let nio = try #require(try Self.nioHead(.POST, target, headers, host: "up.example:8443", length: length))
            #expect(String(buffer: ours) == String(buffer: nio), "\(name)")
        }
    }

    @Test func otherMethodsFramedAsNIOFramedThem() throws {
        for method in [HTTPMethod.GET, .TRACE, .PUT, .DELETE] {
            let ours = try UpstreamRequestHead.encode(
                method: method, target: "/p", headers: HTTPHeaders(Self.routeHeaders), host: "h", contentLength: 0)
            let nio = try #require(try Self.nioHead(method, "/p", Self.routeHeaders, host: "h", length: 0))
            #expect(String(buffer: ours) == String(buffer: nio), "\(method)")
        }
    }

    @Test func theHeadInFull() throws {
        let head = try UpstreamRequestHead.encode(
            method: .GET, target: "/v1/models", headers: HTTPHeaders([("x-api-key", "k"), ("Content-Length", "9")]),
            host: "h", contentLength: 0)
        #expect(
            String(buffer: head)
                == "GET /v1/models HTTP/1.1\r\nx-api-key: k\r\nhost: h\r\ncontent-length: 0\r\n"
                + "Accept-Encoding: deflate, gzip\r\n\r\n")
    }

    /// What NIO's validator refused is refused, and the error names the
    /// header but never its value (a key, perhaps).
    @Test func unsendableHeadsAreRefusedAsNIORefusedThem() throws {
        let refused: [(headers: [(String, String)], target: String, says: String)] = [
            ([("x-api-key", "sk-1\r\nx-injected: 1")], "/", "`x-api-key` has a control character"),
            ([("x-api-key", "sk-1\nx-injected: 1")], "/", "`x-api-key` has a control character"),
            ([("x-k", "a\u{0}b")], "/", "`x-k` has a control character"),
            ([("x-k", "a\u{7F}")], "/", "`x-k` has a control character"),
            ([("transfer-encoding", "x\r\ny")], "/", "`transfer-encoding` has a control character"),
            ([("bad name", "v")], "/", "name `bad name` is not a token"),
            ([("x:y", "v")], "/", "name `x:y` is not a token"),
            ([("x\r\ny", "v")], "/", #"name `x\r\ny` is not a token"#),
            ([("x-k", "v")], "/a b", "target has a character"),
            ([("x-k", "v")], "/é", "target has a character"),
        ]
        for (headers, target, says) in refused {
            #expect(try Self.nioHead(.POST, target, headers, host: "h", length: 1) == nil, "\(headers) \(target)")
            do {
                _ = try UpstreamRequestHead.encode(
                    method: .POST, target: target, headers: HTTPHeaders(headers), host: "h", contentLength: 1)
                Issue.record("sent \(headers) \(target)")
            } catch {
                #expect(error.description.contains(says), "\(error.description)")
                #expect(!error.description.contains("sk-1") && !error.description.contains("injected"))
            }
        }
    }

    /// The head as NIO's client pipeline wrote it, nil where it refused it:
    /// `host` and `content-length` set as the client set them before, and
    /// `Accept-Encoding` as `NIOHTTPResponseDecompressor` added it.
    private static func nioHead(
        _ method: HTTPMethod, _ target: String, _ headers: [(String, String)], host: String, length: Int
    ) throws -> ByteBuffer? {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: HTTPHeaders(headers))
        if !head.headers.contains(name: "host") { head.headers.add(name: "host", value: host) }
        head.headers.replaceOrAdd(name: "content-length", value: String(length))
        if !head.headers.contains(name: "Accept-Encoding") {
            head.headers.replaceOrAdd(name: "Accept-Encoding", value: "deflate, gzip")
        }
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        defer { _ = try? channel.finish() }
        do {
            try channel.writeOutbound(HTTPClientRequestPart.head(head))
        } catch {
            return nil
        }
        var bytes = ByteBuffer()
        while var part = try channel.readOutbound(as: IOData.self).map({ data -> ByteBuffer in
            guard case .byteBuffer(let buffer) = data else { return ByteBuffer() }
            return buffer
        }) {
            bytes.writeBuffer(&part)
        }
        return bytes
    }
}
