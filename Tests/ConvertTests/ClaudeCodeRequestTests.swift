import Convert
import TestSupport
import Testing
import Wire

/// The requests Claude Code 2.1.x really sent in a Write tool session.
@Suite struct ClaudeCodeRequestTests {
    static func requests() throws -> [JSONValue] {
        let path = try Fixtures.path("claude-code/write-tool-session.requests.jsonl")
        return try Fixtures.chunkPayloads(atPath: path).map { try JSONValue(parsing: $0)["body"] ?? .null }
    }

    static var route: RouteOptions {
        var route = TestRoutes.openAI
        route.maxTokensCap = 8192
        return route
    }

    @Test func everyRequestConverts() throws {
        let requests = try Self.requests()
        #expect(requests.count == 2)
        for request in requests {
            let converted = try RequestConverter.convert(anthropicRequest: request, route: Self.route)
            let body = converted.body
            let toolNames = request["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(body["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue } == toolNames)
            #expect(body["max_tokens"] == 8192)
            #expect(body["reasoning_effort"] == "medium")
            #expect(body["stream_options"] == ["include_usage": true])
            #expect((body["user"]?.stringValue?.count ?? 100) <= 64)

            let messages = try #require(body["messages"]?.arrayValue)
            #expect(messages[0]["role"] == "system")
            #expect(messages.dropFirst().allSatisfy { $0["role"] != "system" })
            let system = try #require(messages[0]["content"]?.stringValue)
            #expect(system.hasPrefix("x-anthropic-billing-header"))
            #expect(system.contains("# Environment"), "the system-role message is merged in")

            #expect(converted.diagnostics.contains { $0.path.hasSuffix("/defer_loading") && $0.severity == .debug })
            #expect(converted.diagnostics.contains { $0.path == "/context_management" })
            #expect(converted.diagnostics.allSatisfy { $0.severity != .warning }, "\(converted.diagnostics)")
        }
    }

    @Test func toolResultTurnBecomesAToolMessageAfterTheToolCall() throws {
        let converted = try RequestConverter.convert(anthropicRequest: try Self.requests()[1], route: Self.route)
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "tool"])
        let call = try #require(messages[2]["tool_calls"]?[0])
        #expect(call["id"] == "toolu_01")
        #expect(call["function"]?["name"] == "Write")
        let arguments = try JSONValue(parsing: call["function"]?["arguments"]?.stringValue ?? "")
        #expect(arguments == ["file_path": "/home/dev/project/hello.txt", "content": "hello world\n"])
        #expect(messages[2]["content"] == "I'll create the file.")
        #expect(messages[3]["tool_call_id"] == "toolu_01")
        #expect(messages[3]["content"]?.stringValue?.hasPrefix("File created successfully") == true)
    }

    @Test func anthropicUpstreamForwardsTheRequestUnchangedButModel() throws {
        for request in try Self.requests() {
            let converted = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.anthropic)
            var expected = request
            expected["model"] = "claude-sonnet-4-5-20250929"
            #expect(converted.body.serialized() == expected.serialized())
        }
    }

    @Test func tokenEstimateIsInTheRightRange() throws {
        let request = try Self.requests()[0]
        // ~47 KB of JSON, most of it text the model reads.
        let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: request)
        #expect((8_000...14_000).contains(estimate), "\(estimate)")
    }
}
