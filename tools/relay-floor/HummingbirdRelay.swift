import AsyncHTTPClient
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// Modes `hummingbird` and `cached`: Hummingbird and AsyncHTTPClient (on
/// the shared event loops) with nothing between them; or the server alone
/// answering from memory what the upstream answered once.
///
/// Mode `lean` (Hummingbird with a minimal HTTP/1.1 client of our own on the
/// client connection's event loop) is gone: that client grew into the
/// proxy's ``UpstreamClient``, so the proxy itself now measures it.
struct HummingbirdRelay {
    let upstreamPort: Int
    let cached: Bool

    func run(host: String, port: Int) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let responder = Responder(
            client: client, base: "http://127.0.0.1:\(upstreamPort)", cache: cached ? Cache() : nil)
        let app = Application(responder: responder, configuration: .init(address: .hostname(host, port: port)))
        try await app.runService()
        try await client.shutdown()
    }

    /// Answers remembered by request path and body size: the benchmark's
    /// scenarios differ in both.
    final class Cache: Sendable {
        let answers = NIOLockedValueBox<[String: (body: ByteBuffer, contentType: String)]>([:])
    }

    struct Responder: HTTPResponder {
        let client: HTTPClient
        let base: String
        let cache: Cache?

        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            let body = try await request.body.collect(upTo: 64 << 20)
            let key = "\(request.uri.path) \(body.readableBytes)"
            if let hit = cache?.answers.withLockedValue({ $0[key] }) {
                return Response(
                    status: .ok, headers: [.contentType: hit.contentType], body: .init(byteBuffer: hit.body))
            }
            var upstreamRequest = HTTPClientRequest(url: base + request.uri.description)
            upstreamRequest.method = .POST
            for field in request.headers where field.name != .contentLength {
                upstreamRequest.headers.add(name: field.name.rawName, value: field.value)
            }
            upstreamRequest.body = .bytes(body)
            let answer = try await client.execute(upstreamRequest, timeout: .seconds(60))
            let contentType = answer.headers.first(name: "content-type") ?? "application/json"
            let status = HTTPResponse.Status(code: Int(answer.status.code))
            guard let cache else {
                return Response(
                    status: status, headers: [.contentType: contentType], body: ResponseBody(asyncSequence: answer.body)
                )
            }
            let whole = try await answer.body.collect(upTo: 64 << 20)
            cache.answers.withLockedValue { $0[key] = (whole, contentType) }
            return Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: whole))
        }
    }
}
