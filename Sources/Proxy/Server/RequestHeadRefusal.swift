import Convert
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// What a client is told when NIO's request decoder (or the conversion of
/// the head it read) refuses what should have been a request head: 431 for
/// a head over the decoder's limits, 400 for anything else that is not
/// HTTP/1.1 (a malformed request line, two `Content-Length`s, a
/// `Transfer-Encoding` that is not chunked last), naming what was wrong.
/// The connection closes after it: the decoder reads nothing more on it.
///
/// Always in Anthropic's error shape: the path, which says the client's
/// dialect everywhere else (``EndpointRefusal``), is not known reliably
/// when the head could not be read. Before, the client got NIO's bare 400
/// with no body, or only the close.
enum RequestHeadRefusal {
    /// The limits NIO's decoder reads request heads with: Hummingbird's
    /// (80 KiB for a field and for the whole head, 1,000 fields).
    static var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        let hummingbird = HTTP1Channel.Configuration.DecoderConfiguration()
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = hummingbird.maxHeaderFieldSize
        limits.maxHeaderListSize = hummingbird.maxHeaderListSize
        limits.maxHeaderFieldCount = hummingbird.maxHeaderFieldCount
        return limits
    }

    /// The most input NIO's decoder may hold unparsed: the field of a head
    /// being read (a header is at most 80 KiB, a request target this), or
    /// whatever follows a request asking to upgrade, which it never parses
    /// (a client streaming after one grew the buffer by gigabytes). Past it
    /// the client gets 431 and the connection closes.
    static var maxUnparsedBytes: Int { 256 * 1024 }

    /// The error for `error`, as NIO's decoder or HTTPTypes' conversion
    /// of a head raised it; nil for any other error (the channel failed).
    static func error(for error: any Error) -> APIError? {
        let limits = decoderLimits
        switch error {
        case HTTPParserError.headerOverflow:
            // NIO's error does not say which limit was passed.
            return tooLarge(
                "the request head is larger than \(kibibytes(min(limits.maxHeaderFieldSize, limits.maxHeaderListSize)))"
                    + " or has more than \(limits.maxHeaderFieldCount) header fields")
        case is ByteToMessageDecoderError.PayloadTooLargeError:
            return tooLarge("the request head is larger than \(kibibytes(maxUnparsedBytes))")
        case let error as HTTPParserError:
            return invalid(describe(error))
        case let error as HTTP1TypeConversionError where error == .invalidMethod:
            return invalid("the request line's method is not a valid HTTP method")
        case let error as HTTP1TypeConversionError where error == .missingPath:
            return invalid("the request target has no path")
        case is HTTP1TypeConversionError:
            return invalid("the request head cannot be read as HTTP/1.1")
        default:
            return nil
        }
    }

    /// What `error` says was wrong with the request's HTTP/1.1, as a
    /// message's clause: for a head, and for a body's framing
    /// (``Exchange/readClientBody(_:intake:path:limit:)``).
    static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .invalidMethod: "the request line's method is not a valid HTTP method"
        case .invalidURL: "the request line's target is not a valid URL"
        case .invalidVersion: "the request line's version is not HTTP/1.0 or HTTP/1.1"
        case .invalidHeaderToken: "a header line is not a valid `name: value` field"
        // llhttp's "Duplicate Content-Length" (error 4).
        case .unexpectedContentLength: "the request has more than one Content-Length header"
        case .invalidContentLength:
            "the request's Content-Length is not a number, or comes with a Transfer-Encoding"
        case .invalidChunkSize: "a chunk's size in the chunked body is not a hexadecimal number"
        case .headerOverflow: "the request head is too large"
        case .invalidEOFState: "the input ended inside a request"
        // NIO reports several of llhttp's errors as `unknown`, its invalid
        // Transfer-Encoding among them.
        case .unknown:
            "the request's framing is not valid HTTP/1.1 (a Transfer-Encoding that does not end in chunked, "
                + "or a line not ended by CRLF)"
        default: "the request is not valid HTTP/1.1 (\(error.debugDescription))"
        }
    }

    private static func tooLarge(_ message: String) -> APIError {
        APIError(status: 431, type: "invalid_request_error", message: message)
    }

    private static func invalid(_ message: String) -> APIError {
        APIError(status: 400, type: "invalid_request_error", message: message)
    }

    /// `80 KiB`; a size that is not whole kibibytes in bytes.
    private static func kibibytes(_ bytes: Int) -> String {
        bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes) bytes"
    }
}
