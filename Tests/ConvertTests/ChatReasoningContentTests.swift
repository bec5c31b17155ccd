import Convert
import Foundation
import TestSupport
import Testing
import Wire

/// An assistant turn's thinking sent back as `reasoning_content` to a Chat
/// upstream that takes it: DeepSeek and Kimi in thinking mode answer a tool
/// loop's second request with 400 ("Missing `reasoning_content` field in the
/// assistant message") without it, so every Claude Code tool loop failed.
@Suite struct ChatReasoningContentTests {
    static let deepSeek = RouteOptions(
        modelID: "deepseek", upstreamDialect: .openai, upstreamModel: "deepseek-reasoner", chatReasoningContent: true)

    /// A tool loop: thinking and a call, its result, then a turn with no
    /// thinking, a plain-string turn, and thinking another provider signed.
    static let toolLoop: JSONValue = [
        "model": "claude-sonnet", "max_tokens": 1024,
        "messages": [
            ["role": "user", "content": "Weather in Paris?"],
            [
                "role": "assistant",
                "content": [
                    ["type": "thinking", "thinking": "Use the tool.", "signature": ""],
                    ["type": "text", "text": "Checking."],
                    ["type": "tool_use", "id": "call_1", "name": "weather", "input": ["city": "Paris"]],
                ],
            ],
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_1", "content": "Sunny"]]],
            [
                "role": "assistant",
                "content": [["type": "tool_use", "id": "call_2", "name": "weather", "input": ["city": "Rome"]]],
            ],
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_2", "content": "Rain"]]],
            ["role": "assistant", "content": "Sunny in Paris, rain in Rome."],
            ["role": "user", "content": "And Oslo?"],
            [
                "role": "assistant",
                "content": [
                    ["type": "thinking", "thinking": "First part.", "signature": "gemini:abc"],
                    ["type": "redacted_thinking", "data": "opaque"],
                    ["type": "thinking", "thinking": "Second part.", "signature": "sig"],
                    ["type": "tool_use", "id": "call_3", "name": "weather", "input": ["city": "Oslo"]],
                ],
            ],
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_3", "content": "Snow"]]],
        ],
    ]

    static func assistantMessages(_ converted: ConvertedRequest) -> [JSONValue] {
        (converted.body["messages"]?.arrayValue ?? []).filter { $0["role"] == "assistant" }
    }

    /// Each assistant message carries its thinking (an empty string where it
    /// had none), whoever signed it; redacted thinking has no text to send.
    @Test func aRouteThatTakesItGetsEveryAssistantTurnsThinking() throws {
        let converted = try RequestConverter.convert(anthropicRequest: Self.toolLoop, route: Self.deepSeek)
        let assistants = Self.assistantMessages(converted)
        #expect(
            assistants == [
                [
                    "role": "assistant", "content": "Checking.",
                    "tool_calls": [
                        [
                            "id": "call_1", "type": "function",
                            "function": ["name": "weather", "arguments": #"{"city":"Paris"}"#],
                        ]
                    ],
                    "reasoning_content": "Use the tool.",
                ],
                [
                    "role": "assistant", "content": nil,
                    "tool_calls": [
                        [
                            "id": "call_2", "type": "function",
                            "function": ["name": "weather", "arguments": #"{"city":"Rome"}"#],
                        ]
                    ],
                    "reasoning_content": "",
                ],
                ["role": "assistant", "content": "Sunny in Paris, rain in Rome.", "reasoning_content": ""],
                [
                    "role": "assistant", "content": nil,
                    "tool_calls": [
                        [
                            "id": "call_3", "type": "function",
                            "function": ["name": "weather", "arguments": #"{"city":"Oslo"}"#],
                        ]
                    ],
                    "reasoning_content": "First part.\n\nSecond part.",
                ],
            ])
        #expect(
            converted.diagnostics.filter { $0.message.contains("thinking") }.map(\.path) == ["/messages/7/content/1"])
    }

    /// OpenAI's own API and unknown servers get no member they may refuse:
    /// the thinking is dropped, with a note, as before.
    @Test func aRouteThatDoesNotTakeItGetsNoReasoningContent() throws {
        let converted = try RequestConverter.convert(anthropicRequest: Self.toolLoop, route: TestRoutes.openAI)
        let assistants = Self.assistantMessages(converted)
        #expect(assistants.count == 4)
        #expect(assistants.allSatisfy { $0["reasoning_content"] == nil })
        #expect(assistants[0]["content"] == "Checking.")
        #expect(
            converted.diagnostics.filter { $0.message.contains("thinking from an earlier turn") }.map(\.path) == [
                "/messages/1/content/0", "/messages/7/content/0", "/messages/7/content/1", "/messages/7/content/2",
            ])
    }

    /// DeepSeek's own recorded tool call, converted for the client, comes
    /// back on the next request with the reasoning it streamed.
    @Test func deepSeeksRecordedToolCallGoesBackWithItsReasoning() throws {
        let message = AssembledMessage(try OpenAIChatStreamFixtureTests.events("deepseek-tool-call"))
        let path = try Fixtures.path("providers/openai-chat/deepseek-tool-call.chunks.txt")
        let reasoning = try Fixtures.chunkPayloads(atPath: path).map { payload in
            try JSONValue(parsing: Array(payload.utf8))["choices"]?[0]?["delta"]?["reasoning_content"]?.stringValue
                ?? ""
        }.joined()
        #expect(reasoning.hasPrefix("The user"))
        let thinking = message.blocks[0]
        let call = message.blocks[1]
        let turn: JSONValue = [
            "model": "claude-sonnet", "max_tokens": 1024,
            "messages": [
                ["role": "user", "content": "What is the weather in San Francisco?"],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": .string(thinking.text), "signature": ""],
                        [
                            "type": "tool_use", "id": .string(call.id ?? ""), "name": .string(call.name ?? ""),
                            "input": message.input(ofBlock: 1) ?? [:],
                        ],
                    ],
                ],
                [
                    "role": "user",
                    "content": [["type": "tool_result", "tool_use_id": .string(call.id ?? ""), "content": "72F"]],
                ],
            ],
        ]
        let converted = try RequestConverter.convert(anthropicRequest: turn, route: Self.deepSeek)
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(
            messages[1] == [
                "role": "assistant", "content": nil,
                "tool_calls": [
                    [
                        "id": "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", "type": "function",
                        "function": ["name": "weather", "arguments": #"{"location":"San Francisco"}"#],
                    ]
                ],
                "reasoning_content": .string(reasoning),
            ])
        #expect(
            messages[2] == ["role": "tool", "tool_call_id": "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", "content": "72F"])
    }
}
