import Convert
import HTTPTypes

extension APIError {
    /// 413 `request_too_large`.
    static func requestTooLarge(limit: Int) -> APIError {
        APIError(
            status: 413, type: "request_too_large",
            message: "request body is larger than the proxy's limit of \(limit >> 20) MiB (raise it with --max-body-mb)"
        )
    }
}

extension HTTPField.Name {
    /// The exchange id, on every response.
    static let requestID = HTTPField.Name("request-id")!
}
