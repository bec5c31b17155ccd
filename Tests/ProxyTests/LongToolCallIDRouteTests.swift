import Crypto
import TestSupport
import Testing
import Wire

/// A session moved from a Gemini route to an OpenAI Chat route (a `/model`
/// switch): the tool id the proxy made for Gemini's call carries the thought
/// signature and is far over OpenAI's 40 characters, so the Chat upstream
/// gets a short one, the same in the call and in its result, on every turn.
@Suite struct LongToolCallIDRouteTests {
    @Test func aGeminiMadeIDReachesAChatUpstreamShortenedAndPaired() async throws {
        try await ProxyHarness.run { proxy in
            let tools: JSONValue = [
                [
                    "name": "weather",
                    "input_schema": ["type": "object", "properties": ["location": ["type": "string"]]],
                ]
            ]
            let question: JSONValue = ["role": "user", "content": "Weather in San Francisco?"]
            proxy.stub.reply = .json(
                200,
                String(
                    decoding: try Fixtures.bytes(atPath: try Fixtures.path("providers/gemini/google-tool-call.json")),
                    as: UTF8.self))
            let geminiReply = try await proxy.post(
                json: ["model": "gemini", "max_tokens": 100, "tools": tools, "messages": [question]])
            #expect(geminiReply.status == 200, "\(geminiReply.text)")
            let call = try #require(geminiReply.json?["content"]?[0])
            let id = try #require(call["id"]?.stringValue)
            #expect(id.contains("_gsig_") && id.count > 40, "\(id)")

            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let history: JSONValue = [
                "model": "gpt", "max_tokens": 100, "tools": tools,
                "messages": [
                    question, ["role": "assistant", "content": [call]],
                    [
                        "role": "user",
                        "content": [["type": "tool_result", "tool_use_id": .string(id), "content": "18 °C, fog"]],
                    ],
                ],
            ]
            let digest = SHA256.hash(data: Array(id.utf8)).prefix(16)
            let shortID = "call_" + digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            // Twice: the next turn of the session resends the same history.
            for _ in 0..<2 {
                let reply = try await proxy.post(json: history)
                #expect(reply.status == 200, "\(reply.text)")
                let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
                #expect(
                    sent["messages"]?[1]?["tool_calls"]
                        == [
                            [
                                "id": .string(shortID), "type": "function",
                                "function": ["name": "weather", "arguments": #"{"location":"San Francisco"}"#],
                            ]
                        ])
                #expect(
                    sent["messages"]?[2] == ["role": "tool", "tool_call_id": .string(shortID), "content": "18 °C, fog"])
            }
            #expect(shortID.count == 37)
        }
    }
}
