import Convert
import HTTPTypes
import Hummingbird
import Wire

/// Every response the proxy sends is made here, so each carries its
/// request id (``HTTPFields/setRequestID(_:for:)``), notes the time of the
/// first byte, and is recorded.
extension Exchange {
    /// A complete response.
    func response(status: Int = 200, headers: HTTPFields, body: ByteBuffer) -> Response {
        var headers = headers
        headers.setRequestID(id, for: clientDialect)
        markFirstByte()
        recordClientResponse(status: status, headers: headers, body: body)
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// A JSON response.
    func json(_ value: JSONValue, status: Int = 200) -> Response {
        response(
            status: status, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: value.serialized()))
    }

    /// An error in the client's dialect's shape, with its retry hints
    /// (`retry-after`, `retry-after-ms`, `x-should-retry`) when it has any,
    /// and a 405's `Allow`.
    func errorResponse(_ error: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: error.retryHintFields)
        if let allow = error.allow { headers[.allow] = allow }
        return response(
            status: error.status(in: clientDialect), headers: headers,
            body: ByteBuffer(bytes: error.clientBody(in: clientDialect))
        )
    }

    /// A streamed response: its head now, its body (and the exchange's
    /// `end`) written by `body`.
    func streamingResponse(headers: HTTPFields, body: ResponseBody) -> Response {
        var headers = headers
        headers.setRequestID(id, for: clientDialect)
        isStreaming = true
        recordClientResponse(status: 200, headers: headers, body: nil)
        return Response(status: .ok, headers: headers, body: body)
    }
}
