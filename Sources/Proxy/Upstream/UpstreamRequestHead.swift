import NIOCore
import NIOHTTP1
import Wire

/// The bytes of a request head to an upstream, written in one pass from the
/// route's headers, and checked on the way as NIO's header validator checks
/// a head (so an upstream cannot be sent a header split by a line break
/// from a configured value, a client's header or a key).
///
/// NIO's client pipeline took the same head through four handlers: its
/// validator, its encoder (which first removes and adds framing headers in
/// an `HTTPHeaders` copy), the decompressor (which adds `Accept-Encoding`
/// the same way) and the response decoder (noting the method), each a hop
/// with its own unwrapping.
/// That was ~33 K instructions of a small request (9%); this is ~10 K.
/// What goes out is what went out then: the headers in their order without
/// `content-length` and `transfer-encoding`, then `host` when the headers
/// have none, the body's `content-length` (not for a `TRACE`, framed as
/// bodiless), and `Accept-Encoding: deflate, gzip` when the headers ask for
/// no encoding.
enum UpstreamRequestHead {
    /// What makes a head unsendable. Its text names the header, never the
    /// value, which may be a key.
    struct Unsendable: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    /// The head of a request with a body of `contentLength` bytes (0 for
    /// none), as bytes on the wire.
    /// - Throws: ``Unsendable`` for a header name that is not a token, a
    ///   value with a control character (a line break, a NUL), a target with
    ///   a character a request line cannot carry, or a method that is not a
    ///   token.
    static func encode(
        method: HTTPMethod, target: String, headers: HTTPHeaders, host: String, contentLength: Int
    ) throws(Unsendable) -> ByteBuffer {
        guard all(of: method.rawValue, are: isTokenByte) else {
            throw Unsendable(description: "the request's method is not a token")
        }
        guard all(of: target, are: isTargetByte) else {
            throw Unsendable(description: "the request's target has a character a request line cannot carry")
        }
        // Sized in full, so the buffer never grows (the framing headers
        // left out are counted too: the size is a bound).
        var size = method.rawValue.utf8.count + target.utf8.count + ByteBuffer.headerLineLength("host", host) + 96
        for (name, value) in headers { size += ByteBuffer.headerLineLength(name, value) }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeString(method.rawValue)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(target)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        var hasHost = false
        var hasAcceptEncoding = false
        for (name, value) in headers {
            switch FramingName(name) {
            case .contentLength:
                // Replaced by the body's, unchecked: the client replaced it
                // before NIO's validator saw the head.
                continue
            case .transferEncoding:
                // Left out, but checked first, as NIO's validator did.
                try check(name, value)
                continue
            case .host: hasHost = true
            case .acceptEncoding: hasAcceptEncoding = true
            case .other: break
            }
            try check(name, value)
            buffer.writeHeaderLine(name, value)
        }
        if !hasHost {
            try check("host", host)
            buffer.writeHeaderLine("host", host)
        }
        // NIO's encoder framed a `TRACE` as having no body; every other
        // method carries its length, 0 included.
        if method != .TRACE { buffer.writeHeaderLine("content-length", String(contentLength)) }
        if !hasAcceptEncoding { buffer.writeStaticString("Accept-Encoding: deflate, gzip\r\n") }
        buffer.writeStaticString("\r\n")
        return buffer
    }

    private static func check(_ name: String, _ value: String) throws(Unsendable) {
        guard all(of: name, are: isTokenByte) else {
            throw Unsendable(
                description:
                    "the request's header name `\(name.debugDescription.dropFirst().dropLast())` is not a token")
        }
        guard all(of: value, are: isValueByte) else {
            throw Unsendable(
                description: "the request's header `\(name)` has a control character (a line break?) in its value")
        }
    }

    /// Whether every byte of `text` passes `allowed`.
    private static func all(of text: String, are allowed: (UInt8) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { $0.allSatisfy(allowed) }
    }

    /// The headers the head writes itself, or leaves out.
    private enum FramingName {
        case contentLength, transferEncoding, host, acceptEncoding, other

        /// Compared by length first: nearly every name is none of these,
        /// and most have another length.
        init(_ name: String) {
            switch name.utf8.count {
            case 4: self = name.equalsIgnoringASCIICase("host") ? .host : .other
            case 14: self = name.equalsIgnoringASCIICase("content-length") ? .contentLength : .other
            case 15: self = name.equalsIgnoringASCIICase("accept-encoding") ? .acceptEncoding : .other
            case 17: self = name.equalsIgnoringASCIICase("transfer-encoding") ? .transferEncoding : .other
            default: self = .other
            }
        }
    }

    /// A `tchar` (RFC 9110 5.6.2), as NIO's validator has it.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
            UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// Any byte but a control character other than a tab, as NIO's
    /// validator has it (obs-text, bytes of UTF-8, passes).
    private static func isValueByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
    }

    /// A character of a request target as NIO's validator allows it
    /// (RFC 3986's unreserved, reserved and `%`).
    private static func isTargetByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"),
            UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
            UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "%"):
            true
        default: false
        }
    }
}
