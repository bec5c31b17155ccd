import AsyncHTTPClient
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Modes `hummingbird`, `cached` and `lean`: the proxy's own server and
/// upstream layers (Hummingbird, AsyncHTTPClient on the shared event loops)
/// with nothing of the proxy between them; the server alone answering from
/// memory what the upstream answered once; or Hummingbird with
/// ``LeanUpstreamClient`` instead of AsyncHTTPClient.
struct HummingbirdRelay {
    let upstreamPort: Int
    let cached: Bool
    var lean = false

    func run(host: String, port: Int) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let responder = Responder(
            client: client, base: "http://127.0.0.1:\(upstreamPort)", cache: cached ? Cache() : nil,
            lean: lean ? LeanUpstreamClient(port: upstreamPort) : nil)
        let app = Application(responder: responder, configuration: .init(address: .hostname(host, port: port)))
        try await app.runService()
        try await client.shutdown()
    }

    /// Answers remembered by request path and body size: the benchmark's
    /// scenarios differ in both.
    final class Cache: Sendable {
        let answers = NIOLockedValueBox<[String: (body: ByteBuffer, contentType: String)]>([:])
    }

    /// Hummingbird's basic context and the client's channel, whose event
    /// loop ``LeanUpstreamClient`` sends on.
    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    struct Responder: HTTPResponder {
        let client: HTTPClient
        let base: String
        let cache: Cache?
        let lean: LeanUpstreamClient?

        func respond(to request: Request, context: Context) async throws -> Response {
            let body = try await request.body.collect(upTo: 64 << 20)
            let key = "\(request.uri.path) \(body.readableBytes)"
            if let hit = cache?.answers.withLockedValue({ $0[key] }) {
                return Response(
                    status: .ok, headers: [.contentType: hit.contentType], body: .init(byteBuffer: hit.body))
            }
            if let lean {
                var headers = HTTPHeaders()
                for field in request.headers where field.name != .contentLength {
                    headers.add(name: field.name.rawName, value: field.value)
                }
                headers.add(name: "content-length", value: String(body.readableBytes))
                headers.replaceOrAdd(name: "accept-encoding", value: "deflate, gzip")
                let (head, stream) = try await lean.send(
                    HTTPRequestHead(version: .http1_1, method: .POST, uri: request.uri.description, headers: headers),
                    body: body, on: context.channel.eventLoop)
                return Response(
                    status: .init(code: Int(head.status.code)),
                    headers: [.contentType: head.headers.first(name: "content-type") ?? "application/json"],
                    body: ResponseBody(asyncSequence: stream))
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
