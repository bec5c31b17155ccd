import AsyncHTTPClient
import NIOSSL
import Testing

@testable import Proxy

/// The upstream client over TLS, against a server with a certificate made
/// here for `localhost`: the name sent for SNI, the certificate checked
/// against the trust roots, and one connection carrying request after
/// request.
@Suite struct UpstreamTLSTests {
    @Test func anHTTPSUpstreamGetsTheRequestOverTLSWithTheHostNameSent() async throws {
        let identity = try TLSIdentity.make(name: "localhost")
        try await EchoUpstream.with(tls: identity) { server in
            let client = UpstreamClient(tlsConfiguration: identity.trustingClientConfiguration)
            defer { client.shutdown() }
            for index in 0..<3 {
                let body = try await client.postedAnswer(to: "https://localhost:\(server.port)/v1/messages?beta=true")
                #expect(
                    body == EchoUpstream.echo(target: "/v1/messages?beta=true", body: "{\"n\":1}"), "request \(index)")
            }
            #expect(server.connections == 1)
            #expect(server.serverNames == ["localhost"], "one handshake, the host name sent for SNI")
            #expect(server.hostHeaders == Array(repeating: "localhost:\(server.port)", count: 3))
        }
    }

    /// Reading is driven by the body's reader (automatic reading off);
    /// through TLS a large body must still come whole, and the connection
    /// serve again.
    @Test func aLargeBodyComesWholeOverTLSAndTheConnectionServesAgain() async throws {
        let identity = try TLSIdentity.make(name: "localhost")
        var behaviour = EchoUpstream.Behaviour()
        behaviour.padding = 8 << 20
        try await EchoUpstream.with(tls: identity, behaviour: behaviour) { server in
            let client = UpstreamClient(tlsConfiguration: identity.trustingClientConfiguration)
            defer { client.shutdown() }
            let expected = EchoUpstream.echo(target: "/v1/messages", body: "{\"n\":1}").utf8.count + (8 << 20)
            for index in 0..<2 {
                let response: UpstreamResponse = try await client.post(
                    to: "https://localhost:\(server.port)/v1/messages")
                var received = 0
                for try await chunk in response.body {
                    received += chunk.readableBytes
                    // A slow reader: the connection waits for it.
                    if received < (1 << 20) { try await Task.sleep(for: .milliseconds(1)) }
                }
                #expect(received == expected, "request \(index)")
            }
            #expect(server.connections == 1)
        }
    }

    @Test func aCertificateTheTrustRootsDoNotVouchForFailsTheRequest() async throws {
        let identity = try TLSIdentity.make(name: "localhost")
        try await EchoUpstream.with(tls: identity) { server in
            // The system's roots, which know nothing of this certificate.
            let client = UpstreamClient()
            defer { client.shutdown() }
            await #expect(throws: NIOSSLError.self) {
                _ = try await client.postedAnswer(to: "https://localhost:\(server.port)/v1/messages")
            }
            #expect(server.requestCount == 0)
        }
    }

    @Test func aCertificateForAnotherNameFailsTheRequest() async throws {
        let identity = try TLSIdentity.make(name: "upstream.example")
        try await EchoUpstream.with(tls: identity) { server in
            let client = UpstreamClient(tlsConfiguration: identity.trustingClientConfiguration)
            defer { client.shutdown() }
            await #expect(throws: NIOSSLExtraError.self) {
                _ = try await client.postedAnswer(to: "https://localhost:\(server.port)/v1/messages")
            }
            #expect(server.requestCount == 0)
        }
    }
}
