import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import Wire

@testable import Proxy

/// `--max-connections`: a request on a connection past the limit gets 503
/// `overloaded_error` in its client's shape; once a connection closes, a
/// retry gets in. Each client below is its own HTTPClient, so its own
/// keep-alive connection.
@Suite struct MaxConnectionsTests {
    /// The status, the body, and the `x-should-retry` header.
    private static func post(
        _ client: HTTPClient, _ url: String, _ body: JSONValue
    ) async throws -> (Int, JSONValue?, String?) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        let response = try await client.execute(request, timeout: testRequestTimeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (
            Int(response.status.code), try? JSONValue(parsing: Array(bytes.readableBytesView)),
            response.headers.first(name: "x-should-retry")
        )
    }

    @Test func aConnectionPastTheLimitGets503UntilAnotherCloses() async throws {
        try await ProxyHarness.run(maxConnections: 1) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let first = HTTPClient(eventLoopGroupProvider: .singleton)
            let second = HTTPClient(eventLoopGroupProvider: .singleton)
            var failure: (any Error)?
            do {
                try await Self.exercise(proxy, first: first, second: second)
            } catch {
                failure = error
            }
            try? await first.shutdown()  // already shut down when all went well
            try await second.shutdown()
            if let failure { throw failure }
        }
    }

    private static func exercise(_ proxy: ProxyHarness, first: HTTPClient, second: HTTPClient) async throws {
        let url = proxy.baseURL + "/v1/messages"
        let (admitted, _, _) = try await post(first, url, ProxyHarness.messages())
        #expect(admitted == 200)
        // The first client keeps its connection open (keep-alive).
        let (refused, body, shouldRetry) = try await post(second, url, ProxyHarness.messages())
        #expect(refused == 503)
        #expect(shouldRetry == "true", "the SDKs are told outright to retry")
        #expect(body?["type"]?.stringValue == "error")
        #expect(body?["error"]?["type"]?.stringValue == "overloaded_error", "\(String(describing: body))")
        #expect(body?["error"]?["message"]?.stringValue?.contains("--max-connections 1") == true)
        // An OpenAI client over the limit hears it in its own shape.
        let (openAIStatus, openAIBody, _) = try await post(
            second, proxy.baseURL + "/v1/chat/completions",
            ["model": "gpt", "messages": [["role": "user", "content": "hi"]]])
        #expect(openAIStatus == 503)
        #expect(openAIBody?["error"]?["message"]?.stringValue?.contains("--max-connections") == true)
        #expect(openAIBody?["type"] == nil, "not the Anthropic envelope: \(String(describing: openAIBody))")
        #expect(proxy.stub.requests.count == 1, "refused requests never reach the upstream")
        // Monitors are answered whatever the load.
        var health = HTTPClientRequest(url: proxy.baseURL + "/health")
        health.method = .GET
        #expect(try await second.execute(health, timeout: testRequestTimeout).status.code == 200)

        try await first.shutdown()
        // The proxy sees the close soon; the second client's retry gets in.
        var status = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while status != 200, ContinuousClock.now < deadline {
            (status, _, _) = try await post(second, url, ProxyHarness.messages())
            if status != 200 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == 200)
    }

    @Test func theOpenFileLimitIsRaisedToTheHardLimitAndALowOneIsSaid() {
        let roomy = FileDescriptorLimit.plan(soft: 1024, hard: 524_288, maxConnections: 4096)
        #expect(roomy == .init(before: 1024, after: 524_288, warning: nil))
        let unlimited = FileDescriptorLimit.plan(soft: 1024, hard: Int.max, maxConnections: 4096)
        #expect(unlimited.after == 1 << 20, "the kernel's nr_open, not infinity")
        let tight = FileDescriptorLimit.plan(soft: 1024, hard: 4096, maxConnections: 4096)
        #expect(tight.after == 4096)
        #expect(tight.warning?.contains("too low for --max-connections 4096, which needs about 8256") == true)
        #expect(tight.warning?.contains("past about 2016") == true, "\(tight.warning ?? "")")
        let higherSoft = FileDescriptorLimit.plan(soft: 8192, hard: 4096, maxConnections: 10)
        #expect(higherSoft.after == 8192, "never lowered")
    }
}
