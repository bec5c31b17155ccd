import TestSupport
import Testing
import Wire

@testable import Convert

/// Tool results going to a Gemini upstream: Gemini pairs a turn's
/// `functionResponse` parts with the previous turn's `functionCall` parts by
/// position (by `id` where it gave one), so they must go in the calls' order.
@Suite struct GeminiToolResultPairingTests {
    static func contents(_ messages: JSONValue) throws -> String {
        let request: JSONValue = ["model": "claude-sonnet", "max_tokens": 1024, "messages": messages]
        let converted = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.gemini)
        return try #require(converted.body["contents"]).serializedString()
    }

    static let twoWeatherCalls: JSONValue = [
        "role": "assistant",
        "content": [
            ["type": "tool_use", "id": "call_1", "name": "get_weather", "input": ["city": "Paris"]],
            ["type": "tool_use", "id": "call_2", "name": "get_weather", "input": ["city": "Rome"]],
        ],
    ]

    /// The audit's case: Rome's result sent first was Paris's to Gemini.
    /// Results for calls of an earlier turn follow, in the client's order,
    /// and so do the user's other parts.
    @Test func resultsGoInTheOrderOfTheirCalls() throws {
        let contents = try Self.contents([
            ["role": "user", "content": "Weather in Paris and Rome?"],
            ["role": "assistant", "content": [["type": "tool_use", "id": "early", "name": "now", "input": [:]]]],
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": "early", "content": "noon"]]],
            Self.twoWeatherCalls,
            [
                "role": "user",
                "content": [
                    ["type": "text", "text": "Here:"],
                    ["type": "tool_result", "tool_use_id": "call_2", "content": "rome sunny"],
                    ["type": "tool_result", "tool_use_id": "early", "content": "late noon"],
                    ["type": "tool_result", "tool_use_id": "call_1", "content": "paris rainy"],
                ],
            ],
        ])
        #expect(
            contents == #"[{"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},"#
                + #"{"role":"model","parts":[{"functionCall":{"name":"now","args":{}},"thoughtSignature":"skip_thought_signature_validator"}]},"#
                + #"{"role":"user","parts":[{"functionResponse":{"name":"now","response":{"output":"noon"}}}]},"#
                + #"{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"skip_thought_signature_validator"},{"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},"#
                + #"{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"paris rainy"}}},{"functionResponse":{"name":"get_weather","response":{"output":"rome sunny"}}},{"functionResponse":{"name":"now","response":{"output":"late noon"}}},{"text":"Here:"}]}]"#
        )
    }

    /// An OpenAI Chat client sends each result as a `tool` message of its
    /// own; they are one Gemini turn, in the calls' order.
    @Test func anOpenAIClientsResultsInSeparateMessagesArePairedByCall() throws {
        let pivot = try OpenAIChatClientCodec.decodeRequest([
            "model": "m",
            "messages": [
                ["role": "user", "content": "Weather in Paris and Rome?"],
                [
                    "role": "assistant",
                    "tool_calls": [
                        [
                            "id": "call_1", "type": "function",
                            "function": ["name": "get_weather", "arguments": #"{"city":"Paris"}"#],
                        ],
                        [
                            "id": "call_2", "type": "function",
                            "function": ["name": "get_weather", "arguments": #"{"city":"Rome"}"#],
                        ],
                    ],
                ],
                ["role": "tool", "tool_call_id": "call_2", "content": "rome sunny"],
                ["role": "tool", "tool_call_id": "call_1", "content": "paris rainy"],
            ],
        ]).body
        let converted = try RequestConverter.convert(anthropicRequest: pivot, route: TestRoutes.gemini)
        #expect(
            converted.body["contents"]?[2]
                == [
                    "role": "user",
                    "parts": [
                        ["functionResponse": ["name": "get_weather", "response": ["output": "paris rainy"]]],
                        ["functionResponse": ["name": "get_weather", "response": ["output": "rome sunny"]]],
                    ],
                ])
    }

    /// A call Gemini gave an `id` gets it back, and its result the same;
    /// the signature travels beside it in the `tool_use` id. Calls without
    /// one stay without (the requests recorded before are unchanged).
    @Test func geminisCallIDsGoBackWithTheCallAndItsResult() throws {
        let answer = try ResponseConverter.convert(
            upstreamBody: [
                "candidates": [
                    [
                        "content": [
                            "role": "model",
                            "parts": [
                                [
                                    "functionCall": [
                                        "id": "fc-paris", "name": "get_weather", "args": ["city": "Paris"],
                                    ],
                                    "thoughtSignature": "c2ln",
                                ],
                                ["functionCall": ["id": "fc/rome ✓", "name": "get_weather", "args": ["city": "Rome"]]],
                                ["functionCall": ["name": "now", "args": [:]]],
                            ],
                        ],
                        "finishReason": "STOP", "index": 0,
                    ]
                ],
                "responseId": "r1",
            ],
            route: TestRoutes.gemini, requestedModel: "claude-test")
        let calls = try #require(answer["content"]?.arrayValue)
        let ids = calls.compactMap { $0["id"]?.stringValue }
        #expect(ids.count == 3)
        #expect(ids.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-".contains($0)) } })
        let results: [JSONValue] = ids.reversed().map { id in
            ["type": "tool_result", "tool_use_id": .string(id), "content": .string("for \(id.prefix(22))")]
        }
        let contents = try Self.contents([
            ["role": "user", "content": "Weather?"],
            ["role": "assistant", "content": .array(calls)],
            ["role": "user", "content": .array(results)],
        ])
        #expect(
            contents == #"[{"role":"user","parts":[{"text":"Weather?"}]},"#
                + #"{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"},"id":"fc-paris"},"thoughtSignature":"c2ln"},{"functionCall":{"name":"get_weather","args":{"city":"Rome"},"id":"fc/rome ✓"}},{"functionCall":{"name":"now","args":{}}}]},"#
                + #"{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"for \#(ids[0].prefix(22))"},"id":"fc-paris"}},{"functionResponse":{"name":"get_weather","response":{"output":"for \#(ids[1].prefix(22))"},"id":"fc/rome ✓"}},{"functionResponse":{"name":"now","response":{"output":"for \#(ids[2].prefix(22))"}}}]}]"#
        )
    }

    /// The call id is read only before the signature, whose base64 may
    /// hold the marker's characters; a streamed call carries it too.
    @Test func theCallIDIsReadBeforeTheSignatureOnly() {
        // In the id, base64's "/" is "_": this signature reads "_gcall_6162" there.
        let signature = "a/gcall/6162"
        let signed = GeminiResultMapping.toolUseID(
            messageID: "msg_1", ordinal: 0, call: ["id": "a1"], signature: signature)
        #expect(GeminiFunctionCallID.callID(fromToolUseID: signed) == "a1")
        #expect(GeminiThoughtSignature.signature(fromToolUseID: signed) == signature)
        let unsigned = GeminiResultMapping.toolUseID(messageID: "msg_1", ordinal: 0, call: [:], signature: signature)
        #expect(unsigned.contains("_gcall_6162"))
        #expect(GeminiFunctionCallID.callID(fromToolUseID: unsigned) == nil)
        #expect(GeminiFunctionCallID.callID(fromToolUseID: "toolu_1_gcall_zz") == nil)

        var machine = GeminiStreamTranscoder(requestedModel: "claude-test", upstreamName: "gemini")
        let events = machine.receive(chunk: [
            "candidates": [
                [
                    "content": ["role": "model", "parts": [["functionCall": ["id": "s1", "name": "f", "args": [:]]]]],
                    "finishReason": "STOP", "index": 0,
                ]
            ],
            "responseId": "r1",
        ])
        let streamed = AssembledMessage((events + machine.finish(error: nil)).map(\.payload))
        #expect(streamed.blocks.map { GeminiFunctionCallID.callID(fromToolUseID: $0.id ?? "") } == ["s1"])
    }
}
