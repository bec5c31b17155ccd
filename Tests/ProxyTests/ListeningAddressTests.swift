import TestSupport
import Testing

@testable import Proxy

@Suite struct ListeningAddressTests {
    /// `--host localhost` listens on 127.0.0.1, named, not on whichever of
    /// 127.0.0.1 and ::1 the resolver lists first; the banner says so.
    @Test func localhostListensOn127001() async throws {
        #expect(LoopbackAddress.listeningAddress(for: "localhost") == "127.0.0.1")
        #expect(LoopbackAddress.listeningAddress(for: "LocalHost.") == "127.0.0.1")
        #expect(LoopbackAddress.listeningAddress(for: "::1") == "::1")
        #expect(LoopbackAddress.listeningAddress(for: "0.0.0.0") == "0.0.0.0")
        #expect(LoopbackAddress.listeningAddress(for: "app.localhost") == "app.localhost")
        try await ProxyHarness.run(listenHost: "localhost") { proxy in
            let reply = try await RawClientConnection.with(port: proxy.port, limit: .seconds(30)) { connection in
                try await connection.write(
                    RawClientConnection.request("GET", "/health", headers: ["Connection: close"]))
                return try #require(try await connection.readResponse())
            }
            #expect(reply.status == 200)
        }
    }
}
