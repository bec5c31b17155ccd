import Convert
import Foundation
import Testing
import Wire

/// Tool-call ids too long for an OpenAI upstream (Chat: 40 characters,
/// Responses: 64) go as `call_` and 32 hex digits of their SHA-256, the same
/// in the call and its result; ids that fit go unchanged. The expected ids
/// were computed apart, with Python's hashlib.
@Suite struct UpstreamToolCallIDTests {
    /// An id as the proxy makes for a Gemini answer's call: the thought
    /// signature (here 200 bytes) in base64url after `_gsig_`, 295 characters.
    static let geminiID =
        "toolu_9f3a1c2b4d5e6f70_gsig_"
        + Data((0..<200).map { UInt8($0) }).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
    static let geminiShortID = "call_2c143ce93e3767101ad3d576246ba10d"

    /// A request whose assistant turn called `Read` with `id` and whose
    /// next user turn answers it.
    static func request(callIDs ids: [String], resultContent: JSONValue = "text of a") -> JSONValue {
        [
            "model": "claude-sonnet", "max_tokens": 64,
            "messages": [
                ["role": "user", "content": "Read it"],
                [
                    "role": "assistant",
                    "content": .array(
                        ids.map { ["type": "tool_use", "id": .string($0), "name": "Read", "input": ["path": "a"]] }),
                ],
                [
                    "role": "user",
                    "content": .array(
                        ids.map { ["type": "tool_result", "tool_use_id": .string($0), "content": resultContent] }),
                ],
            ],
        ]
    }

    static func chatCall(_ id: String) -> JSONValue {
        ["id": .string(id), "type": "function", "function": ["name": "Read", "arguments": #"{"path":"a"}"#]]
    }

    @Test func geminiIDIsShortenedInChatCallAndResult() throws {
        #expect(Self.geminiID.count == 295)
        let converted = try RequestConverter.convert(
            anthropicRequest: Self.request(callIDs: [Self.geminiID]), route: TestRoutes.openAI)
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(
            messages == [
                ["role": "user", "content": "Read it"],
                ["role": "assistant", "content": .null, "tool_calls": [Self.chatCall(Self.geminiShortID)]],
                ["role": "tool", "tool_call_id": .string(Self.geminiShortID), "content": "text of a"],
            ])
        #expect(Self.geminiShortID.count <= 40)
    }

    @Test(arguments: [
        // Exactly at Chat's limit: unchanged, byte for byte.
        ("toolu_" + String(repeating: "a", count: 34), "toolu_" + String(repeating: "a", count: 34)),
        // One over: shortened.
        ("toolu_" + String(repeating: "a", count: 35), "call_5053039d76227e1baaaa0642cbf469b1"),
    ])
    func chatLimitIsFortyCharacters(id: String, sent: String) throws {
        let converted = try RequestConverter.convert(
            anthropicRequest: Self.request(callIDs: [id]), route: TestRoutes.openAI)
        let messages = try #require(converted.body["messages"]?.arrayValue)
        #expect(messages.count == 3)
        #expect(messages[1]["tool_calls"] == [Self.chatCall(sent)])
        #expect(messages[2] == ["role": "tool", "tool_call_id": .string(sent), "content": "text of a"])
    }

    @Test func geminiIDIsShortenedInResponsesCallAndOutput() throws {
        let converted = try RequestConverter.convert(
            anthropicRequest: Self.request(callIDs: [Self.geminiID]), route: TestRoutes.responses)
        let input = try #require(converted.body["input"]?.arrayValue)
        #expect(
            input == [
                ["role": "user", "content": "Read it"],
                [
                    "type": "function_call", "call_id": .string(Self.geminiShortID), "name": "Read",
                    "arguments": #"{"path":"a"}"#,
                ],
                ["type": "function_call_output", "call_id": .string(Self.geminiShortID), "output": "text of a"],
            ])
    }

    @Test(arguments: [
        // Exactly at Responses' limit: unchanged.
        ("toolu_" + String(repeating: "b", count: 58), "toolu_" + String(repeating: "b", count: 58)),
        // One over: shortened.
        ("toolu_" + String(repeating: "b", count: 59), "call_35876cd0af0979087ce8885145f3d7d9"),
    ])
    func responsesLimitIsSixtyFourCharacters(id: String, sent: String) throws {
        let converted = try RequestConverter.convert(
            anthropicRequest: Self.request(callIDs: [id]), route: TestRoutes.responses)
        let input = try #require(converted.body["input"]?.arrayValue)
        #expect(input.count == 3)
        #expect(input[1]["call_id"] == .string(sent))
        #expect(input[2] == ["type": "function_call_output", "call_id": .string(sent), "output": "text of a"])
    }

    /// Two long ids that differ only in their last character (a cut to the
    /// limit would merge them) stay apart, each paired with its own result.
    @Test func idsDifferingAtTheEndStayApart() throws {
        let other = String(Self.geminiID.dropLast()) + "A"
        let converted = try RequestConverter.convert(
            anthropicRequest: Self.request(callIDs: [Self.geminiID, other]), route: TestRoutes.openAI)
        let messages = try #require(converted.body["messages"]?.arrayValue)
        let otherShortID = "call_9ea5eb05dada6fdc29fc9d15686519b4"
        #expect(messages[1]["tool_calls"] == [Self.chatCall(Self.geminiShortID), Self.chatCall(otherShortID)])
        #expect(messages[2]["tool_call_id"] == .string(Self.geminiShortID))
        #expect(messages[3]["tool_call_id"] == .string(otherShortID))
    }

    /// The label before a result's images, in the user message after the
    /// results, names the call by the id the upstream knows it by.
    @Test func imagesOfAResultAreLabelledWithTheSentID() throws {
        let content: JSONValue = [
            ["type": "text", "text": "shot"],
            ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "AAA"]],
        ]
        let request = Self.request(callIDs: [Self.geminiID], resultContent: content)
        let chat = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.openAI)
        #expect(
            chat.body["messages"]?[3]?["content"]?[0]
                == ["type": "text", "text": .string("Returned by tool call \(Self.geminiShortID):")])
        let responses = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.responses)
        #expect(
            responses.body["input"]?[3]?["content"]?[0]
                == ["type": "input_text", "text": .string("Returned by tool call \(Self.geminiShortID):")])
    }
}
