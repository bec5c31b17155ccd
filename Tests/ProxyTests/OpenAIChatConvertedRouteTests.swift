import Testing
import Wire

/// An OpenAI Chat client on an Anthropic route, end to end: what the Chat
/// decoder refuses reaches the client in OpenAI's error shape.
@Suite struct OpenAIChatConvertedRouteTests {
    @Test func aFileIDIsA400InOpenAIsShapeWithNoUpstreamCall() async throws {
        try await ProxyHarness.run { proxy in
            let file: JSONValue = ["type": "file", "file": ["file_id": "file-abc"]]
            let reply = try await proxy.post(
                "/v1/chat/completions",
                json: [
                    "model": "claude",
                    "messages": [["role": "user", "content": [["type": "text", "text": "Read it."], file]]],
                ])
            #expect(reply.status == 400)
            #expect(reply.json?["error"]?["type"] == "invalid_request_error")
            #expect(reply.errorMessage?.contains("file_id names a file in OpenAI's file storage") == true)
            #expect(proxy.stub.requests.isEmpty)
        }
    }
}
