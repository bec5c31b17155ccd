import AsyncHTTPClient
import Convert
import NIOHTTP1
import NIOHTTPCompression
import ServiceRunning

/// Errors from talking to an upstream (not its HTTP error answers) as the
/// client sees them: 504 when the upstream was too slow, 502 for everything
/// else, both naming the upstream.
enum UpstreamFailure {
    static func apiError(for error: any Error, upstream: String, timeout: Duration) -> APIError {
        UpstreamErrorMapper.unreachable(
            upstream: upstream, timedOut: isTimeout(error),
            detail: timeoutDetail(error, timeout: timeout) ?? describe(error))
    }

    /// What timed out: the connection (the connect timeout) or the answer
    /// (the route's timeout). ``UpstreamClient`` throws AsyncHTTPClient's
    /// errors for them, as AsyncHTTPClient itself did: these two, and none
    /// of its pool, deadline or write timeouts (it has no such waits).
    private enum TimedOut {
        case connection, answer

        init?(_ error: any Error) {
            guard let error = error as? HTTPClientError else { return nil }
            switch error {
            case .connectTimeout: self = .connection
            case .readTimeout: self = .answer
            default: return nil
            }
        }
    }

    /// What timed out in words; nil for any other error.
    private static func timeoutDetail(_ error: any Error, timeout: Duration) -> String? {
        switch TimedOut(error) {
        case .connection: "no connection within \(describe(UpstreamClient.connectTimeout))"
        case .answer: "no answer within \(describe(timeout)) (the route's timeout)"
        case nil: nil
        }
    }

    /// The same failure after the answer began: for a stream it goes into
    /// the `error` frame, so it says what happened to the stream; a whole
    /// answer (`streamed` false) failed while its body was read.
    static func streamError(
        for error: any Error, upstream: String, timeout: Duration, streamed: Bool
    ) -> APIError {
        let when = streamed ? "mid-stream" : "while sending its answer"
        if isTimeout(error) {
            return APIError(
                status: 504, type: "api_error",
                message: "upstream \(upstream) sent nothing for \(describe(timeout)) \(when) (the route's timeout)")
        }
        return APIError(
            status: 502, type: "api_error", message: "upstream \(upstream) failed \(when): \(describe(error))")
    }

    static func isTimeout(_ error: any Error) -> Bool {
        TimedOut(error) != nil
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed {
            return "the connection was closed"
        }
        if let error = error as? NIOHTTPDecompression.DecompressionError {
            switch error {
            case .limit: return "its compressed body grew past the decompression limit"
            case .inflationError(let code): return "its compressed body could not be decoded (zlib error \(code))"
            case .initializationError(let code):
                return "its compressed body's decoder failed to start (zlib error \(code))"
            }
        }
        if let error = error as? NIOHTTPDecompression.ExtraDecompressionError {
            return error == .truncatedData
                ? "its compressed body was cut short" : "its compressed body had data after its end"
        }
        if let error = error as? HTTPParserError {
            // Malformed chunked encoding, a bad header: the framing broke.
            return "its HTTP framing was malformed (\(error))"
        }
        return NetworkErrorText.connectionFailure(error) ?? String(describing: error)
    }

    /// `30 s`, `2.5 s`: a timeout as messages say it.
    static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
