import Convert
import HTTPTypes
import Hummingbird

extension APIError {
    /// The error as an HTTP response in Anthropic's shape, with
    /// `retry-after` passed on when the upstream sent one.
    var response: Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: rendered(in: .anthropic).serialized())))
    }

    /// 413 `request_too_large`.
    static func requestTooLarge(limit: Int) -> APIError {
        APIError(
            status: 413, type: "request_too_large",
            message: "request body is larger than the proxy's limit of \(limit >> 20) MiB (raise it with --max-body-mb)")
    }
}

extension HTTPField.Name {
    /// The exchange id, on every response.
    static let requestID = HTTPField.Name("request-id")!
}
