import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// A client connection's responses as bytes, written from HTTPTypes' parts
/// straight into buffers, with the framing NIO's `HTTPResponseEncoder` gives
/// them: `content-length` kept when set (and `transfer-encoding` dropped),
/// else the body chunked (to an HTTP/1.0 request, which has no chunked
/// framing, sent as it is, ended by the connection's close); no body and
/// neither header for a 1xx, 204 or 304 answer; no body for an answer to
/// `HEAD` or `CONNECT`.
///
/// Before, a response part went through HTTPTypes' conversion to NIO's types
/// (an `HTTPHeaders` built field by field) and NIO's encoder (its framing
/// headers removed and added again in that copy, then written): ~15 K
/// instructions of a small request.
struct ResponseEncoder {
    /// What each request read and not yet answered asked for.
    private var owed = CircularBuffer<Request>(initialCapacity: 2)
    private var isChunked = false
    private var suppressesBody = false

    /// A body written for an answer that may not have one (to `HEAD`).
    struct BodyNotAllowed: Error {}

    /// A request as its answer's framing depends on it.
    private struct Request {
        enum Method {
            case other
            /// The answer's head is framed as a `GET`'s would be, and it has no body.
            case head
            /// The answer has no body and no framing header.
            case connect
        }

        var method: Method
        /// A body of unknown length is not chunked: the connection's close ends it.
        var closeDelimited: Bool
    }

    /// Notes a request as it is read: answers are written in its order.
    /// `closeDelimited` for an HTTP/1.0 request, whose connection closes
    /// after its answer (see ``RequestIntakeHandler/closesConnection(_:)``).
    mutating func requestRead(_ method: HTTPRequest.Method, closeDelimited: Bool = false) {
        owed.append(
            Request(
                method: method == .head ? .head : method == .connect ? .connect : .other, closeDelimited: closeDelimited
            ))
    }

    /// Writes `part` on `context` (the next handler toward the socket gets
    /// bytes), completing `promise` once all of it is written.
    mutating func write(_ part: HTTPResponsePart, on context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        switch part {
        case .head(let response):
            context.write(NIOAny(head(response, allocator: context.channel.allocator)), promise: promise)
        case .body(let body):
            if suppressesBody {
                promise?.fail(BodyNotAllowed())
            } else if isChunked && body.readableBytes > 0 {
                var size = context.channel.allocator.buffer(capacity: 16)
                size.writeString(String(body.readableBytes, radix: 16))
                size.writeStaticString("\r\n")
                context.write(NIOAny(size), promise: nil)
                context.write(NIOAny(body), promise: nil)
                context.write(NIOAny(Self.lineEnd), promise: promise)
            } else {
                context.write(NIOAny(body), promise: promise)
            }
        case .end(let trailers):
            suppressesBody = false
            if isChunked {
                var end = context.channel.allocator.buffer(capacity: trailers == nil ? 5 : 256)
                end.writeStaticString("0\r\n")
                if let trailers { Self.write(trailers, to: &end) }
                end.writeStaticString("\r\n")
                context.write(NIOAny(end), promise: promise)
            } else if let promise {
                // Completed in order, after what went before it.
                context.write(NIOAny(ByteBuffer()), promise: promise)
            }
        }
    }

    private static let lineEnd = ByteBuffer(staticString: "\r\n")

    private mutating func head(_ response: HTTPResponse, allocator: ByteBufferAllocator) -> ByteBuffer {
        let code = response.status.code
        // A 100 Continue is followed by the answer's own head: it answers
        // no request.
        let informational = (100..<200).contains(code) && code != 101
        var respondingToConnect = false
        var closeDelimited = false
        if !informational, let request = owed.popFirst() {
            suppressesBody = request.method != .other
            respondingToConnect = request.method == .connect
            closeDelimited = request.closeDelimited
        }
        let mayHaveBody = !respondingToConnect && !(100..<200).contains(code) && code != 204 && code != 304
        // NIO's phrase for a code it knows, else the response's own (as
        // HTTPTypes' codec passed it on): a status made from a bare code
        // (`HTTPResponse.Status(code: 413)`) has none of its own.
        let reason = HTTPResponseStatus(statusCode: code, reasonPhrase: response.status.reasonPhrase).reasonPhrase
        // One pass to size the buffer and find the framing headers; their
        // names are told apart by length first (HTTPTypes keeps names
        // lowercased), as nearly every other name has another.
        var size = 64 + reason.utf8.count
        var hasLength = false
        for field in response.headerFields {
            size += ByteBuffer.headerLineLength(field.name.rawName, field.value)
            if field.name.canonicalName.utf8.count == 14, field.name == .contentLength { hasLength = true }
        }
        var buffer = allocator.buffer(capacity: size)
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(code))
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(reason)
        buffer.writeStaticString("\r\n")
        for field in response.headerFields {
            switch field.name.canonicalName.utf8.count {
            case 17 where field.name == .transferEncoding: continue
            case 14 where !mayHaveBody && field.name == .contentLength: continue
            default: buffer.writeHeaderLine(field.name.rawName, field.value)
            }
        }
        let chunked = mayHaveBody && !hasLength && !closeDelimited
        if chunked { buffer.writeStaticString("transfer-encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
        isChunked = chunked && !suppressesBody
        return buffer
    }

    private static func write(_ fields: HTTPFields, to buffer: inout ByteBuffer) {
        for field in fields { buffer.writeHeaderLine(field.name.rawName, field.value) }
    }
}
