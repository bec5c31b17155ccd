import AsyncHTTPClient
import NIOCore
import NIOPosix

@testable import Proxy

extension UpstreamClient {
    /// One event loop for the tests' requests: connections are pooled per loop.
    static let testEventLoop = MultiThreadedEventLoopGroup.singleton.next()

    /// POSTs `{"n":1}` to `url` and returns the response; its body is left
    /// to the caller.
    func post(to url: String, timeout: Duration = .seconds(10)) async throws -> UpstreamResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        return try await execute(
            request, body: ByteBuffer(string: "{\"n\":1}"), timeout: timeout, on: Self.testEventLoop)
    }

    /// POSTs `{"n":1}` to `url` and returns the whole answer as text.
    func postedAnswer(to url: String) async throws -> String {
        let response: UpstreamResponse = try await post(to: url)
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }
}

extension UpstreamBody {
    /// The whole body; fails past `limit` bytes (what the tests used
    /// AsyncHTTPClient's `collect(upTo:)` for before the client had a body
    /// type of its own).
    func collect(upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await var chunk in self {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw BodyTooLarge() }
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    struct BodyTooLarge: Error {}
}
