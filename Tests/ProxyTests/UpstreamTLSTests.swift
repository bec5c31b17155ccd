import AsyncHTTPClient
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing
import X509

@testable import Proxy

/// The upstream client over TLS, against a server with a certificate made
/// here for `localhost`: the name sent for SNI, the certificate checked
/// against the trust roots, and one connection carrying request after
/// request.
@Suite struct UpstreamTLSTests {
    @Test func anHTTPSUpstreamGetsTheRequestOverTLSWithTheHostNameSent() async throws {
        let identity = try TLSIdentity.make(name: "localhost")
        try await TLSStubServer.with(identity) { server in
            let client = UpstreamClient(tlsConfiguration: identity.trustingClientConfiguration)
            defer { client.shutdown() }
            for index in 0..<3 {
                let body = try await Self.post(client, to: "https://localhost:\(server.port)/v1/messages?beta=true")
                #expect(body == "{\"echo\":\"POST /v1/messages?beta=true {\\\"n\\\":1}\"}", "request \(index)")
            }
            #expect(server.serverNames == ["localhost"], "one connection, the host name sent for SNI")
            #expect(server.hostHeaders == Array(repeating: "localhost:\(server.port)", count: 3))
        }
    }

    @Test func aCertificateTheTrustRootsDoNotVouchForFailsTheRequest() async throws {
        let identity = try TLSIdentity.make(name: "localhost")
        try await TLSStubServer.with(identity) { server in
            // The system's roots, which know nothing of this certificate.
            let client = UpstreamClient()
            defer { client.shutdown() }
            await #expect(throws: NIOSSLError.self) {
                _ = try await Self.post(client, to: "https://localhost:\(server.port)/v1/messages")
            }
            #expect(server.requestCount == 0)
        }
    }

    @Test func aCertificateForAnotherNameFailsTheRequest() async throws {
        let identity = try TLSIdentity.make(name: "upstream.example")
        try await TLSStubServer.with(identity) { server in
            let client = UpstreamClient(tlsConfiguration: identity.trustingClientConfiguration)
            defer { client.shutdown() }
            await #expect(throws: NIOSSLExtraError.self) {
                _ = try await Self.post(client, to: "https://localhost:\(server.port)/v1/messages")
            }
            #expect(server.requestCount == 0)
        }
    }

    /// One event loop for every request: connections are pooled per loop.
    private static let eventLoop = MultiThreadedEventLoopGroup.singleton.next()

    private static func post(_ client: UpstreamClient, to url: String) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        let response = try await client.execute(
            request, body: ByteBuffer(string: "{\"n\":1}"), timeout: .seconds(10),
            on: eventLoop)
        #expect(response.status == .ok)
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }
}

/// A certificate and its key, made for one host name.
private struct TLSIdentity {
    let certificate: NIOSSLCertificate
    let key: NIOSSLPrivateKey

    static func make(name: String) throws -> TLSIdentity {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(3600),
            issuer: subject, subject: subject,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName(name)])
            },
            issuerPrivateKey: .init(key))
        return TLSIdentity(
            certificate: try NIOSSLCertificate(bytes: Array(certificate.serializeAsPEM().pemString.utf8), format: .pem),
            key: try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
    }

    /// A client configuration that trusts this certificate alone.
    var trustingClientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([certificate])
        return configuration
    }
}

/// An HTTPS server on 127.0.0.1 that echoes each request's method, target
/// and body, and notes the SNI names and `host` headers it saw.
private final class TLSStubServer: Sendable {
    private struct Seen {
        var serverNames: [String] = []
        var hostHeaders: [String] = []
    }

    private let seen = NIOLockedValueBox(Seen())
    private(set) nonisolated(unsafe) var port = 0

    var serverNames: [String] { seen.withLockedValue { $0.serverNames } }
    var hostHeaders: [String] { seen.withLockedValue { $0.hostHeaders } }
    var requestCount: Int { hostHeaders.count }

    static func with(_ identity: TLSIdentity, _ body: (TLSStubServer) async throws -> Void) async throws {
        let server = TLSStubServer()
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(identity.certificate)], privateKey: .privateKey(identity.key))
        configuration.applicationProtocols = ["http/1.1"]
        let seen = server.seen
        // Called once per handshake with the client's SNI name.
        configuration.sslContextCallback = { values, promise in
            seen.withLockedValue { $0.serverNames.append(values.serverHostname ?? "") }
            promise.succeed(NIOSSLContextConfigurationOverride())
        }
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = NIOSSLServerHandler(context: context)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(seen: seen))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.port = channel.localAddress?.port ?? 0
        do {
            try await body(server)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
    }

    private final class EchoHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let seen: NIOLockedValueBox<Seen>
        private var head: HTTPRequestHead?
        private var body = ByteBuffer()

        init(seen: NIOLockedValueBox<Seen>) {
            self.seen = seen
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                seen.withLockedValue { $0.hostHeaders.append(head.headers.first(name: "host") ?? "") }
                let text = "\(head.method.rawValue) \(head.uri) \(String(buffer: body))"
                let escaped = text.replacingOccurrences(of: "\"", with: "\\\"")
                let answer = ByteBuffer(string: "{\"echo\":\"\(escaped)\"}")
                var headers = HTTPHeaders([("content-type", "application/json")])
                headers.add(name: "content-length", value: String(answer.readableBytes))
                context.write(
                    wrapOutboundOut(.head(.init(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(answer))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
