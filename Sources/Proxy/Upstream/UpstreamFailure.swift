import AsyncHTTPClient
import Convert
import NIOHTTP1

/// Errors from talking to an upstream (not its HTTP error answers) as the
/// client sees them: 504 when the upstream was too slow, 502 for everything
/// else, both naming the upstream.
enum UpstreamFailure {
    static func apiError(for error: any Error, upstream: String, timeout: Duration) -> APIError {
        UpstreamErrorMapper.unreachable(
            upstream: upstream, timedOut: isTimeout(error),
            detail: isTimeout(error) ? "no answer within \(describe(timeout)) (the route's timeout)" : describe(error))
    }

    /// The same failure after the stream began: it goes into the `error`
    /// frame, so it says what happened to the stream.
    static func streamError(for error: any Error, upstream: String, timeout: Duration) -> APIError {
        if isTimeout(error) {
            return APIError(
                status: 504, type: "api_error",
                message: "upstream \(upstream) sent nothing for \(describe(timeout)) mid-stream (the route's timeout)")
        }
        return APIError(
            status: 502, type: "api_error", message: "upstream \(upstream) failed mid-stream: \(describe(error))")
    }

    static func isTimeout(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        return [.readTimeout, .deadlineExceeded, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout]
            .contains(error)
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed {
            return "the connection was closed"
        }
        if let error = error as? HTTPParserError {
            // Malformed chunked encoding, a bad header: the framing broke.
            return "its HTTP framing was malformed (\(error))"
        }
        return NetworkErrorText.connectionFailure(error) ?? String(describing: error)
    }

    private static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
