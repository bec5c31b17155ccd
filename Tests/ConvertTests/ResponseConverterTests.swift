import Convert
import TestSupport
import Testing
import Wire

@Suite struct ResponseConverterTests {
    static let bodyFiles: [String] = Fixtures.argumentFiles(in: "providers/openai-chat", suffix: ".json")

    static func convert(_ body: JSONValue, route: RouteOptions = TestRoutes.openAI) throws -> JSONValue {
        try ResponseConverter.convert(upstreamBody: body, route: route, requestedModel: "claude-test")
    }

    static func fixture(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: Fixtures.bytes(atPath: Fixtures.path("providers/openai-chat/\(name).json")))
    }

    @Test func fixturesAreFound() throws {
        try Fixtures.requireFound(Self.bodyFiles, in: "providers/openai-chat", suffix: ".json", atLeast: 5)
    }

    @Test(arguments: bodyFiles)
    func everyFixtureBodyConverts(path: String) throws {
        let upstream = try JSONValue(parsing: Fixtures.bytes(atPath: path))
        let message = try Self.convert(upstream)
        #expect(message["type"] == "message")
        #expect(message["role"] == "assistant")
        #expect(message["model"] == "claude-test")
        #expect(message["id"]?.stringValue == "msg_" + (upstream["id"]?.stringValue ?? ""))
        let content = try #require(message["content"]?.arrayValue)
        #expect(!content.isEmpty)
        for block in content where block["type"] == "text" {
            #expect(block["text"]?.stringValue?.isEmpty == false, "never an empty text block")
        }
        #expect(message["usage"]?["output_tokens"] == upstream["usage"]?["completion_tokens"])
    }

    @Test func deepseekToolCallHasThinkingThenToolUseAndNoEmptyText() throws {
        let message = try Self.convert(try Self.fixture("deepseek-tool-call"))
        let content = try #require(message["content"]?.arrayValue)
        #expect(content.map { $0["type"]?.stringValue } == ["thinking", "tool_use"])
        #expect(content[0]["thinking"]?.stringValue?.hasPrefix("The user is asking") == true)
        #expect(content[0]["signature"] == "", "no signature is invented")
        #expect(
            content[1]
                == [
                    "type": "tool_use", "id": "call_00_9V0vrf86Pc9aelHCJMZqnJBo", "name": "weather",
                    "input": ["location": "San Francisco"],
                ])
        #expect(message["stop_reason"] == "tool_use")
        #expect(message["stop_sequence"] == .null)
        #expect(
            message["usage"]
                == [
                    "input_tokens": 19, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 320,
                    "output_tokens": 92,
                ])
    }

    @Test func deepseekTextHitsMaxTokens() throws {
        let message = try Self.convert(try Self.fixture("deepseek-text"))
        #expect(message["stop_reason"] == "max_tokens")
        #expect(message["content"]?[0]?["text"]?.stringValue?.hasPrefix("## **Holiday Name") == true)
    }

    @Test func openAITextIsExact() throws {
        let message = try Self.convert(try Self.fixture("openai-text"))
        let keys = message.objectValue?.keys
        #expect(keys == ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"])
        #expect(message["stop_reason"] == "end_turn")
        #expect(message["usage"]?["input_tokens"] == 16)
        #expect(message["content"]?.arrayValue?.count == 1)
    }

    @Test func groqToolCallWithoutContentField() throws {
        let message = try Self.convert(try Self.fixture("groq-tool-call"))
        #expect(message["content"] == [["type": "tool_use", "id": "ax9fskhev", "name": "weather", "input": [:]]])
    }

    @Test func unparseableArgumentsAreKeptWithADiagnostic() throws {
        let body: JSONValue = [
            "id": "x",
            "choices": [
                [
                    "index": 0, "finish_reason": "tool_calls",
                    "message": [
                        "role": "assistant", "content": "",
                        "tool_calls": [
                            ["id": "c", "type": "function", "function": ["name": "f", "arguments": "{\"a\": 1"]]
                        ],
                    ],
                ]
            ],
        ]
        let converted = try ResponseConverter.convertWithDiagnostics(
            upstreamBody: body, route: TestRoutes.openAI, requestedModel: "m")
        #expect(converted.body["content"]?[0]?["input"] == ["_unparsed_arguments": "{\"a\": 1"])
        #expect(converted.diagnostics.map(\.path) == ["/choices/0/message/tool_calls/0/function/arguments"])
        #expect(converted.body["content"]?.arrayValue?.count == 1, "the empty content makes no text block")
    }

    @Test func finishReasonsAndStopSequences() throws {
        func stop(_ choice: JSONObject) throws -> (JSONValue?, JSONValue?) {
            var full = choice
            full["index"] = 0
            full["message"] = ["role": "assistant", "content": "x"]
            let message = try Self.convert(["id": "i", "choices": [.object(full)]])
            return (message["stop_reason"], message["stop_sequence"])
        }
        #expect(try stop(["finish_reason": "stop"]) == ("end_turn", .null))
        #expect(try stop(["finish_reason": "length"]) == ("max_tokens", .null))
        #expect(try stop(["finish_reason": "content_filter"]) == ("refusal", .null))
        #expect(try stop(["finish_reason": "stop", "stop_reason": "###"]) == ("stop_sequence", "###"))
        #expect(try stop(["finish_reason": "stop", "stop_reason": 151643]) == ("end_turn", .null))
    }

    @Test func anthropicUpstreamBodyIsUnchangedButModel() throws {
        let path = try Fixtures.path("providers/anthropic/anthropic-text.json")
        let upstream = try JSONValue(parsing: Fixtures.bytes(atPath: path))
        let message = try Self.convert(upstream, route: TestRoutes.anthropic)
        var expected = upstream
        expected["model"] = "claude-test"
        #expect(message.serialized() == expected.serialized())
    }

    /// An Anthropic upstream's 200 whose body is an error is that error for
    /// a client of another dialect (a 502 with its words), not an empty
    /// message. (An Anthropic client's answer is read as it came, without
    /// this conversion: ``ClientRequest/answerAsItCame``.)
    @Test(arguments: [Dialect.openai, .openaiResponses, .gemini])
    func anAnthropicErrorAnsweredWith200IsAnErrorForOtherClients(dialect: Dialect) throws {
        let body: JSONValue = ["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded now"]]
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: dialect),
            body: [
                "model": "m", "messages": [["role": "user", "content": "Hi"]], "input": "x",
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
            ])
        do {
            let converted = try client.clientResponse(upstreamBody: body, route: TestRoutes.anthropic, createdAt: 0)
            Issue.record("expected an error, got \(converted.body.serializedString())")
        } catch {
            #expect(error.status == 502)
            #expect(
                error.message.contains("answered HTTP 200 with an error: Overloaded now"),
                "the message names the status the upstream sent, not the client's 502: \(error.message)")
        }
    }

    @Test func nonCompletionBodiesAreAnError() {
        #expect(throws: APIError.self) { try Self.convert(["object": "list"]) }
        do {
            _ = try Self.convert(["error": ["message": "model overloaded", "type": "server_error"]])
            Issue.record("expected an error")
        } catch {
            #expect((error as? APIError)?.message.contains("model overloaded") == true)
        }
    }
}
