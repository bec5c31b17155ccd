import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import ServiceRunning
import TestSupport
import Testing

@testable import Proxy

/// The server's connections (``ExchangeChannel``, which `ProxyServer`
/// serves with) handle requests on their channel's event loop, their
/// flushes held by a ``FlushCoalescingHandler``.
@Suite struct ExchangeChannelLoopTests {
    @Test func aRequestIsHandledOnItsConnectionsLoop() async throws {
        let router = Router(context: ProxyRequestContext.self)
        router.get("/loop") { _, context in
            guard context.channel.eventLoop.inEventLoop else { return "elsewhere" }
            let coalesced = try? context.channel.pipeline.syncOperations.handler(type: FlushCoalescingHandler.self)
            return coalesced == nil ? "on its loop, flushing each write" : "on its loop"
        }
        let answers = try await ListeningServiceRunner(logger: Logger(label: "test")).withRunning({ onListening in
            Application(
                router: router,
                server: .exchanges(router.buildResponder(), maxBodyBytes: 1 << 20, headTimeout: .seconds(60)),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await onListening($0.localAddress?.port ?? 0) })
        }) { port in
            var answers: [String] = []
            for _ in 0..<3 {
                let response = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/loop"), timeout: testRequestTimeout)
                answers.append(String(buffer: try await response.body.collect(upTo: 1024)))
            }
            return answers
        }
        #expect(answers == ["on its loop", "on its loop", "on its loop"])
    }
}
