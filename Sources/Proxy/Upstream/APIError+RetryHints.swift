import Convert
import HTTPTypes
import NIOHTTP1

/// The headers that tell a client whether and when to retry: `retry-after`
/// (seconds or an HTTP date), `retry-after-ms` and `x-should-retry`, which
/// the Anthropic and OpenAI SDKs read (Claude Code's retries are the
/// Anthropic SDK's). An upstream's are passed on to the client whatever its
/// dialect, and none of the upstream's other headers are.
extension APIError {
    /// This error with the retry hints of the upstream's answer `headers`
    /// kept where it has none of its own (a subscription's usage-limit
    /// error reads its `retryAfter` from the body).
    func keepingRetryHints(of headers: HTTPHeaders) -> APIError {
        var error = self
        let headerWait = headers.first(name: "retry-after")
        // A wait of the error's own (a usage limit's reset, read from the
        // body) is not overridden by the header's finer one, which the
        // SDKs and the fallback wait read first.
        if error.retryAfter == nil || error.retryAfter == headerWait {
            error.retryAfter = error.retryAfter ?? headerWait
            error.retryAfterMillis = error.retryAfterMillis ?? headers.first(name: "retry-after-ms")
        }
        if error.shouldRetry == nil {
            // The SDKs act on these two values only.
            switch headers.first(name: "x-should-retry")?.lowercased() {
            case "true": error.shouldRetry = true
            case "false": error.shouldRetry = false
            default: break
            }
        }
        return error
    }

    /// The retry hints the client gets with this error.
    var retryHintFields: HTTPFields {
        var fields = HTTPFields()
        if let retryAfter { fields[.retryAfter] = retryAfter }
        if let retryAfterMillis { fields[.retryAfterMillis] = retryAfterMillis }
        if let shouldRetry { fields[.shouldRetry] = shouldRetry ? "true" : "false" }
        return fields
    }
}

extension HTTPField.Name {
    /// Milliseconds to wait before retrying; the SDKs prefer it to `retry-after`.
    static let retryAfterMillis = HTTPField.Name("retry-after-ms")!
    /// Whether the request may be retried, over the SDKs' own rule by status.
    static let shouldRetry = HTTPField.Name("x-should-retry")!
}
