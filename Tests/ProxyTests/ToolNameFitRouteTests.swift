import TestSupport
import Testing
import Wire

/// Claude Code names an MCP server's tools `mcp__<server>__<tool>`, often
/// over OpenAI's 64 characters: on a Chat route the upstream answered 400
/// on every turn. It now gets a fitted name, and its streamed call of that
/// name reaches Claude Code under the name it knows.
@Suite struct ToolNameFitRouteTests {
    /// 70 characters; fitted: cut to 55, `_` and 8 hex digits of its SHA-256.
    static let mcpName = "mcp__plugin_atlassian_cloud__getAccessibleAtlassianResourcesForTheUser"
    static let mcpFitted = "mcp__plugin_atlassian_cloud__getAccessibleAtlassianReso_a4da83f8"

    @Test func aLongMCPToolNameGoesUpFittedAndItsStreamedCallComesBackUnderTheOriginal() async throws {
        try await ProxyHarness.run { proxy in
            let chunk = { (delta: String, finish: String) in
                #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-gpt","choices":[{"index":0,"delta":"#
                    + delta + #","finish_reason":"# + finish + "}]}\n\n"
            }
            proxy.stub.reply = .eventStream(
                [
                    chunk(
                        #"{"role":"assistant","tool_calls":[{"index":0,"id":"call_abc123def456","type":"function","function":{"name":""#
                            + Self.mcpFitted + #"","arguments":""}}]}"#, "null"),
                    chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"{\"cloudId\":\"x\"}"}}]}"#, "null"),
                    chunk("{}", #""tool_calls""#),
                    "data: [DONE]\n\n",
                ], delay: .milliseconds(1))
            let reply = try await proxy.post(json: [
                "model": "gpt", "max_tokens": 100, "stream": true,
                "tools": [
                    [
                        "name": .string(Self.mcpName), "description": "Lists the sites",
                        "input_schema": ["type": "object", "properties": ["cloudId": ["type": "string"]]],
                    ],
                    ["name": "Read", "input_schema": ["type": "object"]],
                ],
                "messages": [["role": "user", "content": "Which sites can I see?"]],
            ])
            #expect(reply.status == 200, "\(reply.text)")

            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["tools"]?[0]?["function"]?["name"] == .string(Self.mcpFitted))
            #expect(sent["tools"]?[1]?["function"]?["name"] == "Read")
            #expect(
                !String(decoding: try #require(proxy.stub.requests.last).body, as: UTF8.self).contains(Self.mcpName))

            let frames = sseFrames(reply.text)
            let start = try #require(frames.first { $0.event == "content_block_start" })
            #expect(
                try JSONValue(parsing: start.data)["content_block"]
                    == ["type": "tool_use", "id": "call_abc123def456", "name": .string(Self.mcpName), "input": [:]])
            #expect(!reply.text.contains(Self.mcpFitted))
            #expect(AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty)
        }
    }
}
