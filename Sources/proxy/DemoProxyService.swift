import Hummingbird
import ServiceLifecycle

/// The demo's proxy as a service that starts once the demo's stub upstream
/// reports its port, since the proxy's routes name that port. Graceful
/// shutdown before then ends it without starting the proxy.
struct DemoProxyService<Proxy: ApplicationProtocol>: Service {
    let upstreamPorts: AsyncStream<Int>
    let makeProxy: @Sendable (_ upstreamPort: Int) -> Proxy

    func run() async throws {
        for await upstreamPort in upstreamPorts.cancelOnGracefulShutdown() {
            try await makeProxy(upstreamPort).run()
            return
        }
    }
}
