import TestSupport
import Testing
import Wire

/// An upstream's 307 and 308 are followed, method and body kept, on the
/// configured host and port only; a redirect anywhere else is a 502 naming
/// the target, and the key never goes there.
@Suite struct UpstreamRedirectTests {
    @Test(arguments: [307, 308])
    func aRedirectOnTheSameHostIsFollowedWithMethodAndBody(status: Int) async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        var id: String?
        try await ProxyHarness.run(apiKey: "sk-route-key", recording: cassette.recording) { proxy in
            proxy.stub.replyFor = { request in
                request.path == "/v1/chat/completions"
                    ? StubHTTPServer.Reply(status: status, headers: [("location", "/moved/chat/completions")])
                    : .json(200, UpstreamBodies.openAICompletion)
            }
            let reply = try await proxy.post(json: ProxyHarness.messages())
            id = reply.headers.first(name: "request-id")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json?["content"]?[0]?["text"] == "Hello there")
            let requests = proxy.stub.requests
            #expect(requests.map(\.path) == ["/v1/chat/completions", "/moved/chat/completions"])
            #expect(requests.map(\.method) == ["POST", "POST"])
            #expect(requests.count == 2 && requests[0].body == requests[1].body && !requests[1].body.isEmpty)
            #expect(requests.last?.header("authorization") == "Bearer sk-route-key")
        }
        let events = try cassette.exchanges()[id ?? ""] ?? []
        #expect(events.filter { $0.kind == "upstream_request" }.count == 2)
        #expect(try cassette.errors(of: id).outcome == "ok")
    }

    @Test(arguments: [307, 302])
    func aRedirectElsewhereIsRefusedAndTheKeyStaysHome(status: Int) async throws {
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        var id: String?
        try await StubHTTPServer.withRunning { elsewhere in
            elsewhere.reply = .json(200, UpstreamBodies.openAICompletion)
            try await ProxyHarness.run(apiKey: "sk-route-key", recording: cassette.recording) { proxy in
                proxy.stub.reply = StubHTTPServer.Reply(
                    status: status, headers: [("location", elsewhere.baseURL + "/v1/chat/completions")])
                for stream in [false, true] {
                    let reply = try await proxy.post(json: ProxyHarness.messages(stream: stream))
                    id = id ?? reply.headers.first(name: "request-id")
                    #expect(reply.status == 502)
                    #expect(reply.errorType == "api_error")
                    #expect(reply.errorMessage?.contains("`127.0.0.1:\(elsewhere.port)`") == true, "\(reply.text)")
                    #expect(reply.errorMessage?.contains("another host") == true)
                    #expect(reply.text.contains("sk-route-key") == false)
                }
                try await expectStillServing(proxy)
            }
            #expect(elsewhere.requests.isEmpty, "the other host got a request")
        }
        #expect(try cassette.errors(of: id).stages == ["upstream_response"])
        #expect(try cassette.errors(of: id).outcome == "error")
    }

    @Test func aSameHostRedirectThatChangesTheMethodIsRefused() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = StubHTTPServer.Reply(status: 301, headers: [("location", "/elsewhere")])
            let reply = try await proxy.post(json: ProxyHarness.messages())
            #expect(reply.status == 502)
            #expect(reply.errorMessage?.contains("HTTP 301") == true, "\(reply.text)")
            #expect(proxy.stub.requests.count == 1)
        }
    }
}
