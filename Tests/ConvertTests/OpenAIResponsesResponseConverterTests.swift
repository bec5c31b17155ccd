import Convert
import TestSupport
import Testing
import Wire

@Suite struct OpenAIResponsesResponseConverterTests {
    static func fixture(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: Fixtures.bytes(atPath: Fixtures.path("providers/openai-responses/\(name).json")))
    }

    static func convert(_ body: JSONValue) throws -> JSONValue {
        try ResponseConverter.convert(upstreamBody: body, route: TestRoutes.responses, requestedModel: "claude-test")
    }

    @Test func fixturesAreFound() throws {
        #expect(try Fixtures.files(in: "providers/openai-responses", suffix: ".json").count == 3)
    }

    @Test func reasoningThenText() throws {
        let upstream = try Self.fixture("openai-reasoning-encrypted-content.1")
        let message = try Self.convert(upstream)
        #expect(message["id"] == "msg_resp_0f35ed53160b395301693cc957829881909359e7f80cdd20b5")
        #expect(message["model"] == "claude-test")
        let content = try #require(message["content"]?.arrayValue)
        #expect(content.map { $0["type"]?.stringValue ?? "" } == ["thinking", "text"])
        #expect(content[0]["thinking"]?.stringValue?.hasPrefix("**Reporting final result**") == true)
        let encrypted = upstream["output"]?[0]?["encrypted_content"]?.stringValue ?? "?"
        #expect(content[0]["signature"]?.stringValue == "openai-reasoning:" + encrypted)
        #expect(content[1]["text"] == "12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570")
        #expect(message["stop_reason"] == "end_turn")
        #expect(
            message["usage"]
                == [
                    "input_tokens": 865, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                    "output_tokens": 163,
                ])
    }

    @Test func parallelWrapperIsUnwrapped() throws {
        let message = try Self.convert(try Self.fixture("parallel-tool-call-wrapper.1"))
        #expect(
            message["content"]
                == [
                    [
                        "type": "tool_use", "id": "call_parallel_0", "name": "weather",
                        "input": ["location": "San Francisco"],
                    ],
                    [
                        "type": "tool_use", "id": "call_parallel_1", "name": "cityAttractions",
                        "input": ["city": "Rome"],
                    ],
                ])
        #expect(message["stop_reason"] == "tool_use")
        #expect(message["usage"]?["output_tokens"] == 28)
    }

    @Test func aRealToolNamedParallelWithOtherArgumentsIsKept() throws {
        let body: JSONValue = [
            "id": "r", "status": "completed",
            "output": [["type": "function_call", "call_id": "c", "name": "parallel", "arguments": "{\"jobs\":2}"]],
        ]
        #expect(
            try Self.convert(body)["content"] == [
                ["type": "tool_use", "id": "c", "name": "parallel", "input": ["jobs": 2]]
            ])
    }

    @Test func errorBodies() throws {
        let body = try Fixtures.bytes(atPath: Fixtures.path("providers/openai-responses/openai-error.1.json"))
        let mapped = UpstreamErrorMapper.map(
            status: 429, body: body, retryAfter: nil, upstream: "gpt", dialect: .openaiResponses)
        #expect(mapped.type == "rate_limit_error")
        #expect(mapped.message.hasPrefix("upstream gpt returned HTTP 429: You exceeded your current quota"))
        #expect(mapped.message.hasSuffix("(insufficient_quota)"))
        do {
            _ = try Self.convert(try Self.fixture("openai-error.1"))
            Issue.record("expected an error")
        } catch {
            #expect((error as? APIError)?.message.contains("You exceeded your current quota") == true)
        }
        #expect(throws: APIError.self) { try Self.convert(["id": "r", "object": "response"]) }
    }

    @Test func incompleteRefusalAndUnknownItems() throws {
        let body: JSONValue = [
            "id": "r", "status": "incomplete", "incomplete_details": ["reason": "max_output_tokens"],
            "output": [
                ["type": "web_search_call", "id": "ws"],
                ["type": "message", "content": [["type": "output_text", "text": "Partial"]]],
            ],
        ]
        let converted = try ResponseConverter.convertWithDiagnostics(
            upstreamBody: body, route: TestRoutes.responses, requestedModel: "m")
        #expect(converted.body["content"] == [["type": "text", "text": "Partial"]])
        #expect(converted.body["stop_reason"] == "max_tokens")
        #expect(converted.diagnostics.map(\.path) == ["/output/0"])
        let refusal = try Self.convert([
            "id": "r", "status": "completed",
            "output": [["type": "message", "content": [["type": "refusal", "refusal": "No."]]]],
        ])
        #expect(refusal["content"] == [["type": "text", "text": "No."]])
        #expect(refusal["stop_reason"] == "refusal")
    }
}
