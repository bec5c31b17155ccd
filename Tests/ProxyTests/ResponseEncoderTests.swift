import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing

@testable import Proxy

/// A client connection's answers written as bytes: the bytes HTTPTypes'
/// conversion and NIO's response encoder wrote for the same requests and
/// answers, framing included.
@Suite struct ResponseEncoderTests {
    private typealias Exchange = (method: String, parts: [HTTPResponsePart])

    private static func response(_ status: HTTPResponse.Status, _ fields: [(String, String)]) -> HTTPResponse {
        var response = HTTPResponse(status: status)
        for (name, value) in fields {
            response.headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        return response
    }

    private static let json = ByteBuffer(string: #"{"id":"msg_1","type":"message"}"#)
    private static let headers = [("Content-Type", "application/json"), ("date", "Sat, 05 Dec 2026 22:00:00 GMT")]

    private static let cases: [(name: String, exchanges: [Exchange])] = [
        (
            "a JSON answer with its length",
            [("POST", [.head(response(.ok, headers + [("content-length", "31")])), .body(json), .end(nil)])]
        ),
        (
            "a stream, chunked, an empty part skipped",
            [
                (
                    "POST",
                    [
                        .head(response(.ok, [("content-type", "text/event-stream")])), .body(json), .body(ByteBuffer()),
                        .body(ByteBuffer(string: "data: 2\n\n")), .end(nil),
                    ]
                )
            ]
        ),
        (
            "a stream with trailers and a transfer-encoding of its own",
            [
                (
                    "POST",
                    [
                        .head(response(.ok, [("Transfer-Encoding", "gzip")])), .body(json),
                        .end([HTTPField.Name("x-checksum")!: "abc"]),
                    ]
                )
            ]
        ),
        (
            "100 Continue, then the answer",
            [
                (
                    "POST",
                    [
                        .head(HTTPResponse(status: .continue)),
                        .head(response(.created, [("content-length", "31")])), .body(json), .end(nil),
                    ]
                )
            ]
        ),
        (
            "204 and 304 lose their framing headers",
            [
                (
                    "GET",
                    [
                        .head(response(.noContent, [("content-length", "0"), ("transfer-encoding", "chunked")])),
                        .end(nil),
                    ]
                ),
                ("GET", [.head(response(.notModified, [("Content-Length", "31"), ("etag", "\"1\"")])), .end(nil)]),
            ]
        ),
        (
            "HEAD keeps a GET's framing headers, with no body; the next request's answer has its own",
            [
                ("HEAD", [.head(response(.ok, headers)), .end(nil)]),
                ("HEAD", [.head(response(.ok, [("content-length", "31")])), .end(nil)]),
                ("POST", [.head(response(.ok, [])), .body(json), .end(nil)]),
            ]
        ),
        (
            "statuses made from a bare code, and HTTPTypes' names for 413 and 422",
            [
                ("POST", [.head(response(.init(code: 200), [("content-length", "31")])), .body(json), .end(nil)]),
                ("POST", [.head(response(.init(code: 413), [("content-length", "31")])), .body(json), .end(nil)]),
                ("POST", [.head(response(.contentTooLarge, [("content-length", "31")])), .body(json), .end(nil)]),
                ("POST", [.head(response(.unprocessableContent, [])), .body(json), .end(nil)]),
                ("POST", [.head(response(.init(code: 404), [("content-length", "31")])), .body(json), .end(nil)]),
            ]
        ),
        (
            "CONNECT's answer has no framing; 101 neither; trailers of an answer with a length are dropped",
            [
                ("CONNECT", [.head(response(.ok, [("content-length", "31"), ("x-a", "1")])), .end(nil)]),
                (
                    "GET",
                    [.head(response(.switchingProtocols, [("upgrade", "x"), ("content-length", "0")])), .end(nil)]
                ),
                (
                    "POST",
                    [
                        .head(response(.ok, [("content-length", "31")])), .body(json),
                        .end([HTTPField.Name("x-checksum")!: "abc"]),
                    ]
                ),
            ]
        ),
        (
            "a status of Anthropic's own and a 500",
            [
                ("POST", [.head(response(.init(code: 529), [("content-length", "31")])), .body(json), .end(nil)]),
                ("POST", [.head(response(.internalServerError, [("content-length", "31")])), .body(json), .end(nil)]),
            ]
        ),
    ]

    @Test func sameBytesAsNIOsEncoder() throws {
        for (name, exchanges) in Self.cases {
            #expect(try Self.ours(exchanges) == Self.nio(exchanges), "\(name)")
        }
    }

    @Test func aBodyForHEADIsRefusedAndNotWritten() throws {
        let channel = EmbeddedChannel(handler: SocketEndHandler())
        defer { _ = try? channel.finish() }
        let context = try channel.pipeline.syncOperations.context(handlerType: SocketEndHandler.self)
        var encoder = ResponseEncoder()
        encoder.requestRead(.head)
        encoder.write(.head(Self.response(.ok, [("content-length", "31")])), on: context, promise: nil)
        let body = channel.eventLoop.makePromise(of: Void.self)
        encoder.write(.body(Self.json), on: context, promise: body)
        encoder.write(.end(nil), on: context, promise: nil)
        context.flush()
        #expect(throws: ResponseEncoder.BodyNotAllowed.self) { try body.futureResult.wait() }
        #expect(try Self.drain(channel) == "HTTP/1.1 200 OK\r\ncontent-length: 31\r\n\r\n")
    }

    private static func ours(_ exchanges: [Exchange]) throws -> String {
        let channel = EmbeddedChannel(handler: SocketEndHandler())
        defer { _ = try? channel.finish() }
        let context = try channel.pipeline.syncOperations.context(handlerType: SocketEndHandler.self)
        var encoder = ResponseEncoder()
        for exchange in exchanges { encoder.requestRead(HTTPRequest.Method(exchange.method)!) }
        for exchange in exchanges {
            for part in exchange.parts { encoder.write(part, on: context, promise: nil) }
        }
        context.flush()
        return try drain(channel)
    }

    /// What NIO's server pipeline (as `configureHTTPServerPipeline` set it
    /// up, with HTTPTypes' conversion) wrote for the same requests.
    private static func nio(_ exchanges: [Exchange]) throws -> String {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false)
        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        for exchange in exchanges {
            try channel.writeInbound(ByteBuffer(string: "\(exchange.method) / HTTP/1.1\r\nhost: p\r\n\r\n"))
        }
        for exchange in exchanges {
            for part in exchange.parts { channel.write(part, promise: nil) }
        }
        channel.flush()
        return try drain(channel)
    }

    private static func drain(_ channel: EmbeddedChannel) throws -> String {
        var bytes = ByteBuffer()
        while let data = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(var buffer) = data else { continue }
            bytes.writeBuffer(&buffer)
        }
        return String(buffer: bytes)
    }
}
