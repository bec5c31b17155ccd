import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Proxy
import TestSupport
import Testing
import Wire

@testable import Replay

/// A client that stopped sending its body was let go by the proxy after
/// `--header-timeout` with no answer (recorded as a 408 at stage `client`).
/// `log-replay send` replays it as it was: the recorded bytes, then
/// silence, until the proxy closes the connection again; sent whole, it
/// got a 400 the recorded client never saw. `verify` says why it skips it.
@Suite struct StalledBodySendTests {
    static let yaml = """
        models:
          - model_id: claude
            model_name: "*"
            api_base: http://127.0.0.1:1
            format: anthropic
        """

    /// Runs a proxy with a one-second header timeout, recording to
    /// `directory` when given.
    static func withProxy<Result: Sendable>(
        recordingTo directory: String? = nil, _ body: (Int) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "stalled-body-test")
        logger.logLevel = .critical
        let server = ProxyServer(
            config: try ProxyConfig.parse(yaml: yaml, file: "stalled.yaml"),
            options: .init(host: "127.0.0.1", port: 0, headerTimeout: .seconds(1)),
            recording: try directory.map { try ExchangeRecording(directory: $0) }, logger: logger)
        return try await server.withRunning(body)
    }

    @Test func aClientThatStoppedSendingItsBodyIsReplayedHeld() async throws {
        let directory = try ConvertedExchange.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let whole = Array(#"{"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#.utf8)
        let sent = Array(whole.prefix(20))
        // Recorded for real: a client that sends part of its body, then nothing.
        let original = try await Self.withProxy(recordingTo: directory) { port -> (any Error)? in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .stream(
                HeldRequestBody(bytes: sent, limit: .seconds(60)), length: .known(Int64(whole.count)))
            do {
                _ = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
                return nil
            } catch {
                return error
            }
        }
        #expect((original as? HTTPClientError) == .remoteConnectionClosed, "\(String(describing: original))")
        let exchange = try #require(try CassetteLoader.load(paths: [directory]).exchanges.first)
        #expect(exchange.clientStalledInBody)
        #expect(exchange.status == 408)

        let skipped = ExchangeVerifier().verify(exchange).skipped ?? ""
        #expect(skipped.hasPrefix("no route line: the client left before its request was read (408 timeout_error: "))

        let started = ContinuousClock.now
        let result = try await Self.withProxy { port in
            let client = ReplaySender.makeClient()
            let result = await ReplaySender(target: "http://127.0.0.1:\(port)", environment: [:])
                .send(exchange, client: client)
            try await client.shutdown()
            return result
        }
        // Held until the proxy's own timeout let it go.
        #expect(ContinuousClock.now - started >= .seconds(1))
        let line = try #require(result).line
        #expect(
            line
                == "\(exchange.id)  POST /v1/messages  recorded 408 (its client stopped sending the body)  "
                + "now closed unanswered, the body held as recorded", "\(line)")
        #expect(result?.isSame == true)
    }
}
