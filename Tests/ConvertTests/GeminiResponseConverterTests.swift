import Convert
import TestSupport
import Testing
import Wire

@Suite struct GeminiResponseConverterTests {
    static let bodyFiles: [String] =
        Fixtures.argumentFiles(in: "providers/gemini", suffix: ".json").filter { !$0.contains("429") }

    static func fixture(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: Fixtures.bytes(atPath: Fixtures.path("providers/gemini/\(name).json")))
    }

    static func convert(_ body: JSONValue) throws -> JSONValue {
        try ResponseConverter.convert(upstreamBody: body, route: TestRoutes.gemini, requestedModel: "claude-test")
    }

    @Test func fixturesAreFound() throws {
        try Fixtures.requireFound(Self.bodyFiles, in: "providers/gemini", suffix: ".json", atLeast: 3)
        #expect(Self.bodyFiles.count == 3, "\(Self.bodyFiles)")
    }

    @Test(arguments: bodyFiles)
    func everyFixtureBodyConverts(path: String) throws {
        let upstream = try JSONValue(parsing: Fixtures.bytes(atPath: path))
        let message = try Self.convert(upstream)
        #expect(message["type"] == "message")
        #expect(message["model"] == "claude-test")
        #expect(message["id"]?.stringValue == "msg_" + (upstream["responseId"]?.stringValue ?? "?"))
        let content = try #require(message["content"]?.arrayValue)
        #expect(!content.isEmpty)
        for block in content where block["type"] == "text" {
            #expect(block["text"]?.stringValue?.isEmpty == false)
        }
        let metadata = upstream["usageMetadata"]
        let output =
            (metadata?["candidatesTokenCount"]?.intValue ?? 0) + (metadata?["thoughtsTokenCount"]?.intValue ?? 0)
        #expect(message["usage"]?["output_tokens"]?.intValue == output)
        #expect(message["usage"]?["input_tokens"] == metadata?["promptTokenCount"])
    }

    @Test func textAndItsSignature() throws {
        let upstream = try Self.fixture("google-text")
        let message = try Self.convert(upstream)
        let signature = upstream["candidates"]?[0]?["content"]?["parts"]?[0]?["thoughtSignature"]?.stringValue ?? "?"
        #expect(
            message["content"]
                == [
                    ["type": "thinking", "thinking": "", "signature": .string("gemini:" + signature)],
                    [
                        "type": "text",
                        "text": "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
                    ],
                ])
        #expect(message["stop_reason"] == "end_turn")
        #expect(message["stop_sequence"] == .null)
        #expect(
            message["usage"]
                == [
                    "input_tokens": 9, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                    "output_tokens": 272,
                ])
    }

    @Test func reasoningHasAThinkingBlock() throws {
        let message = try Self.convert(try Self.fixture("google-reasoning"))
        let types = message["content"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" }
        #expect(types == ["thinking", "text"], "the text part's signature goes before its text")
        #expect(message["content"]?[0]?["signature"]?.stringValue?.hasPrefix("gemini:EvsFCvgFAb4") == true)
        #expect(message["usage"]?["output_tokens"] == 311)
    }

    @Test func toolCallRoundTripsItsSignature() throws {
        let upstream = try Self.fixture("google-tool-call")
        let message = try Self.convert(upstream)
        let block = try #require(message["content"]?[0])
        #expect(block["type"] == "tool_use")
        #expect(block["name"] == "weather")
        #expect(block["input"] == ["location": "San Francisco"])
        #expect(message["content"]?.arrayValue?.count == 1)
        #expect(message["stop_reason"] == "tool_use")
        let signature = upstream["candidates"]?[0]?["content"]?["parts"]?[0]?["thoughtSignature"]?.stringValue
        let id = try #require(block["id"]?.stringValue)
        #expect(GeminiStreamFixtureTests.signatureSentBack(forToolUseID: id) == signature)
    }

    @Test func thoughtPartsAndUnsupportedParts() throws {
        let body: JSONValue = [
            "responseId": "r",
            "candidates": [
                [
                    "content": [
                        "role": "model",
                        "parts": [
                            ["text": "Hmm", "thought": true],
                            ["text": " ok", "thought": true, "thoughtSignature": "AAAA"],
                            ["executableCode": ["language": "PYTHON", "code": "print(1)"]], ["text": "Done"],
                        ],
                    ],
                    "finishReason": "MAX_TOKENS",
                ]
            ],
        ]
        let converted = try ResponseConverter.convertWithDiagnostics(
            upstreamBody: body, route: TestRoutes.gemini, requestedModel: "m")
        #expect(
            converted.body["content"]
                == [
                    ["type": "thinking", "thinking": "Hmm ok", "signature": "gemini:AAAA"],
                    ["type": "text", "text": "Done"],
                ])
        #expect(converted.body["stop_reason"] == "max_tokens")
        #expect(converted.diagnostics.map(\.path) == ["/candidates/0/content/parts/2"])
    }

    @Test func blockedPromptAndErrorBodies() throws {
        let blocked = try Self.convert(["promptFeedback": ["blockReason": "SAFETY"], "responseId": "b"])
        #expect(blocked["content"] == [])
        #expect(blocked["stop_reason"] == "refusal")
        #expect(throws: APIError.self) { try Self.convert(["candidates": []]) }
        do {
            _ = try Self.convert(["error": ["code": 400, "message": "bad thing", "status": "INVALID_ARGUMENT"]])
            Issue.record("expected an error")
        } catch {
            #expect((error as? APIError)?.message.contains("bad thing (INVALID_ARGUMENT)") == true)
        }
    }

    @Test func quotaErrorKeepsItsRetryDelay() throws {
        let body = try Fixtures.bytes(atPath: Fixtures.path("providers/gemini/google-429-retry-info.json"))
        let error = UpstreamErrorMapper.map(
            status: 429, body: body, retryAfter: nil, upstream: "gemini", dialect: .gemini)
        #expect(error.status == 429)
        #expect(error.type == "rate_limit_error")
        #expect(error.retryAfter == "35", "34.4s rounded up")
        #expect(
            error.message
                == "upstream gemini returned HTTP 429: You exceeded your current quota, please check your plan. (RESOURCE_EXHAUSTED)"
        )
        // A delay no client can wait out is dropped; past Int's range it trapped.
        for delay in ["1e19s", "3000000000s"] {
            let absurd = Array(
                #"{"error":{"code":429,"message":"m","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"\#(delay)"}]}}"#
                    .utf8)
            let mapped = UpstreamErrorMapper.map(
                status: 429, body: absurd, retryAfter: nil, upstream: "gemini", dialect: .gemini)
            #expect(mapped.status == 429 && mapped.retryAfter == nil, "\(delay)")
        }
        let withHeader = UpstreamErrorMapper.map(
            status: 429, body: body, retryAfter: "3", upstream: "g", dialect: .gemini)
        #expect(withHeader.retryAfter == "3", "the header wins")
        #expect(
            error.rendered(in: .gemini)
                == ["error": ["code": 429, "message": .string(error.message), "status": "RESOURCE_EXHAUSTED"]])
    }
}
