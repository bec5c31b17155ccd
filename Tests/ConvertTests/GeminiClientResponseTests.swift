import Convert
import TestSupport
import Testing
import Wire

@Suite struct GeminiClientResponseTests {
    static func message(_ content: JSONValue, stopReason: String = "end_turn", usage: JSONValue? = nil) -> JSONValue {
        [
            "id": "msg_123", "type": "message", "role": "assistant", "model": "claude-x", "content": content,
            "stop_reason": .string(stopReason), "stop_sequence": nil,
            "usage": usage ?? ["input_tokens": 10, "output_tokens": 5],
        ]
    }

    @Test func textIsOneCandidate() {
        let response = GeminiClientCodec.encodeResponse(
            Self.message([["type": "text", "text": "Hello!"]]), requestedModel: "gemini-test")
        #expect(
            response
                == [
                    "candidates": [
                        [
                            "content": ["role": "model", "parts": [["text": "Hello!"]]], "finishReason": "STOP",
                            "index": 0,
                        ]
                    ],
                    "usageMetadata": ["promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15],
                    "modelVersion": "gemini-test", "responseId": "msg_123",
                ])
    }

    @Test func functionCallKeepsIdAndGeminiSignature() throws {
        let response = GeminiClientCodec.encodeResponse(
            Self.message(
                [
                    ["type": "text", "text": "Checking."],
                    ["type": "tool_use", "id": "toolu_abc_gsig_c2ln", "name": "weather", "input": ["city": "Oslo"]],
                    ["type": "tool_use", "id": "toolu_plain", "name": "clock", "input": [:]],
                ], stopReason: "tool_use"), requestedModel: "gemini-test")
        let parts = try #require(response["candidates"]?[0]?["content"]?["parts"]?.arrayValue)
        #expect(parts[0] == ["text": "Checking."])
        #expect(
            parts[1]
                == [
                    "functionCall": ["name": "weather", "args": ["city": "Oslo"], "id": "toolu_abc_gsig_c2ln"],
                    "thoughtSignature": "c2ln",
                ])
        #expect(parts[2] == ["functionCall": ["name": "clock", "args": [:], "id": "toolu_plain"]])
        #expect(response["candidates"]?[0]?["finishReason"] == "STOP")
    }

    @Test func thinkingBecomesThoughtPartsWithSignatures() throws {
        let response = GeminiClientCodec.encodeResponse(
            Self.message([
                ["type": "thinking", "thinking": "Hmm.", "signature": "anthropic-sig"],
                ["type": "text", "text": "Answer."],
                ["type": "thinking", "thinking": "", "signature": "gemini:c2lnMw=="],
                ["type": "thinking", "thinking": "", "signature": ""],
            ]), requestedModel: "gemini-test")
        let parts = try #require(response["candidates"]?[0]?["content"]?["parts"]?.arrayValue)
        #expect(
            parts == [
                // base64 of "pivot:anthropic-sig": a `bytes` field to clients.
                ["text": "Hmm.", "thought": true, "thoughtSignature": "cGl2b3Q6YW50aHJvcGljLXNpZw=="],
                ["text": "Answer.", "thoughtSignature": "c2lnMw=="],
            ])
        // Sent back by the client, the history is the pivot's again.
        let request = try GeminiClientCodec.decodeRequest(
            ["contents": [["role": "model", "parts": .array(parts)]]], model: "m", stream: false)
        #expect(
            request.body["messages"]?[0]?["content"]
                == [
                    ["type": "thinking", "thinking": "Hmm.", "signature": "anthropic-sig"],
                    ["type": "text", "text": "Answer."],
                    ["type": "thinking", "thinking": "", "signature": "gemini:c2lnMw=="],
                ])
    }

    @Test(arguments: [
        ("end_turn", "STOP"), ("tool_use", "STOP"), ("stop_sequence", "STOP"), ("max_tokens", "MAX_TOKENS"),
        ("refusal", "SAFETY"),
    ])
    func finishReasons(stopReason: String, finishReason: String) {
        let response = GeminiClientCodec.encodeResponse(Self.message([], stopReason: stopReason), requestedModel: "g")
        #expect(response["candidates"]?[0]?["finishReason"] == .string(finishReason))
        #expect(response["candidates"]?[0]?["content"] == nil, "no empty parts array")
    }

    @Test func usageCountsCacheInThePrompt() {
        let response = GeminiClientCodec.encodeResponse(
            Self.message(
                [["type": "text", "text": "x"]],
                usage: [
                    "input_tokens": 100, "cache_read_input_tokens": 900, "cache_creation_input_tokens": 50,
                    "output_tokens": 20,
                ]), requestedModel: "g")
        #expect(
            response["usageMetadata"]
                == [
                    "promptTokenCount": 1050, "candidatesTokenCount": 20, "totalTokenCount": 1070,
                    "cachedContentTokenCount": 900,
                ])
    }

    @Test func countTokens() {
        #expect(GeminiClientCodec.countTokensResponse(totalTokens: 42) == ["totalTokens": 42])
    }
}
