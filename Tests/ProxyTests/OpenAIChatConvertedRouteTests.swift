import Testing
import Wire

/// An OpenAI Chat client on an Anthropic route, end to end: what the Chat
/// decoder refuses reaches the client in OpenAI's error shape, and what it
/// moves reaches the upstream.
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

    @Test func systemMessagesAloneReachTheUpstreamAsTheUserMessage() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let reply = try await proxy.post(
                "/v1/chat/completions",
                json: ["model": "claude", "messages": [["role": "system", "content": "Say hi"]]])
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json?["object"] == "chat.completion")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["system"] == nil)
            #expect(sent["messages"]?.arrayValue?.count == 1)
            #expect(sent["messages"]?[0]?["role"] == "user")
            #expect(sent["messages"]?[0]?["content"]?[0]?["text"] == "Say hi")
        }
    }
}
