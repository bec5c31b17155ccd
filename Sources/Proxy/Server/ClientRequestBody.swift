import Convert
import Hummingbird
import Wire

/// Reading a client's request body: bounded in size, parsed as JSON, with
/// errors that say what is wrong and where.
enum ClientRequestBody {
    /// The whole body, read from `intake` when the request came through an
    /// ``ExchangeChannel`` (the same bytes its `RequestBody` wraps); 413 as
    /// soon as it passes `limit` bytes.
    static func collect(_ request: Request, intake: IntakeBody.Sequence?, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers.joinedValue(.contentLength).flatMap(Int.init), length > limit {
            throw APIError.requestTooLarge(limit: limit)
        }
        if let intake { return try await collect(intake.makeAsyncIterator(), limit: limit) }
        return try await collect(request.body.makeAsyncIterator(), limit: limit)
    }

    private static func collect(_ parts: consuming some PartIterator, limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        while var part = try await parts.nextPart() {
            guard collected.readableBytes + part.readableBytes <= limit else {
                throw APIError.requestTooLarge(limit: limit)
            }
            collected.writeBuffer(&part)
        }
        return collected
    }

    /// The body as JSON, its text kept to be copied where it goes on
    /// unchanged; 400 with the line and column of the first error.
    static func json(_ bytes: [UInt8]) throws(APIError) -> JSONDocument {
        guard !bytes.isEmpty else {
            throw .invalidRequest("request body is empty; send a JSON object")
        }
        do {
            // The document keeps this array as it is (no copy).
            return try JSONDocument(parsing: bytes)
        } catch {
            throw .invalidRequest(
                "request body is not valid JSON: \(error.reason) at line \(error.line), column \(error.column)")
        }
    }
}

extension ClientRequestBody {
    /// 415 for a body sent with a `content-encoding` (gzip, deflate, ...):
    /// request bodies are read as they came, and a compressed one read as
    /// JSON failed with "unexpected character '\u{1F}'", which said
    /// nothing of the cause.
    static func unsupportedEncoding(_ encoding: String) -> APIError {
        APIError(
            status: 415, type: "invalid_request_error",
            message: "request bodies with content-encoding `\(encoding.prefix(40))` are not read; "
                + "send the body uncompressed")
    }
}

/// Hummingbird's own body, for a request that did not come through an
/// ``ExchangeChannel``: it cannot tell without waiting.
extension RequestBody.AsyncIterator: PartIterator {
    func nextNow() -> ByteBuffer?? { nil }
}
