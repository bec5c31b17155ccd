import Convert
import Foundation
import TestSupport
import Testing
import Wire

/// No text block of whitespace alone: Anthropic refuses one in any message
/// ("text content blocks must contain non-whitespace text"), so a Chat
/// model's `"\n\n"` before a tool call, kept by Claude Code, broke every
/// later request of the session on a Claude route.
@Suite struct BlankTextTests {
    /// Whitespace before a tool call opens no block; the call is block 0.
    @Test func whitespaceBeforeAToolCallOpensNoTextBlock() {
        let output = transcode([
            chunk(content: "\n"), chunk(content: "\n"),
            chunk(toolCalls: [toolFragment(0, id: "call_1", name: "weather", arguments: "{}")]),
            chunk(finish: "tool_calls"),
        ])
        #expect(violations(output) == [])
        #expect(
            output.dropFirst(2).map(\.description) == [
                #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"call_1","name":"weather","input":{}}}"#,
                #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}"#,
                #"{"type":"content_block_stop","index":0}"#,
                #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":0}}"#,
                #"{"type":"message_stop"}"#,
            ])
    }

    /// Whitespace followed by text is all sent, in one block; whitespace
    /// after thinking, or at the end, opens nothing.
    @Test func whitespaceBeforeTextIsKeptAndAloneIsDropped() {
        let output = transcode([
            chunk(reasoning: "Hmm."), chunk(content: "\n\n"), chunk(content: " "), chunk(content: "Hi"),
            chunk(content: "\n"), chunk(toolCalls: [toolFragment(0, id: "call_1", name: "f", arguments: "{}")]),
            chunk(content: " \n"), chunk(finish: "tool_calls"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["thinking", "text", "tool_use"])
        #expect(message.blocks[1].text == "\n\n Hi\n")
        #expect(
            output.filter { $0["delta"]?["type"] == "text_delta" }.map(\.description) == [
                #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"\n\n Hi"}}"#,
                #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"\n"}}"#,
            ])
        let thinkingThenBlank = AssembledMessage(
            transcode([chunk(reasoning: "Hmm."), chunk(content: "\n\n"), chunk(finish: "stop")]))
        #expect(thinkingThenBlank.blocks.map(\.type) == ["thinking"])
    }

    /// A whole Chat answer's whitespace beside its tool calls is no block either.
    @Test func aWholeAnswersWhitespaceBesideToolCallsIsNoBlock() throws {
        let body: JSONValue = [
            "id": "chatcmpl-1", "object": "chat.completion", "model": "deepseek-chat",
            "choices": [
                [
                    "index": 0, "finish_reason": "tool_calls",
                    "message": [
                        "role": "assistant", "content": "\n\n",
                        "tool_calls": [
                            ["id": "call_1", "type": "function", "function": ["name": "f", "arguments": "{}"]]
                        ],
                    ],
                ]
            ],
        ]
        let converted = try ResponseConverter.convertWithDiagnostics(
            upstreamBody: body, route: TestRoutes.openAI, requestedModel: "claude-test")
        #expect(
            converted.body["content"]
                == [["type": "tool_use", "id": "call_1", "name": "f", "input": [:]]])
    }

    /// Claude Code's history after a Chat route, to a Claude route: blank
    /// text leaves assistant turns (a turn of nothing else is left out);
    /// user turns and text with words stay.
    @Test func blankAssistantTextIsDroppedForAnAnthropicUpstream() throws {
        let body: JSONValue = [
            "model": "claude", "max_tokens": 1_000,
            "messages": [
                ["role": "user", "content": [["type": "text", "text": "Weather?"], ["type": "text", "text": " "]]],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "text", "text": "\n\n"],
                        ["type": "tool_use", "id": "call_1", "name": "weather", "input": [:]],
                    ],
                ],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_1", "content": "Sunny"]]],
                ["role": "assistant", "content": [["type": "text", "text": " \n"]]],
                ["role": "user", "content": "Thanks."],
                ["role": "assistant", "content": [["type": "text", "text": "\nYou're welcome."]]],
                ["role": "user", "content": "Bye."],
            ],
        ]
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body)
        let converted = try client.upstreamBody(route: TestRoutes.anthropic)
        #expect(
            converted.body["messages"]
                == [
                    [
                        "role": "user",
                        "content": [["type": "text", "text": "Weather?"], ["type": "text", "text": " "]],
                    ],
                    [
                        "role": "assistant",
                        "content": [["type": "tool_use", "id": "call_1", "name": "weather", "input": [:]]],
                    ],
                    [
                        "role": "user",
                        "content": [["type": "tool_result", "tool_use_id": "call_1", "content": "Sunny"]],
                    ],
                    ["role": "user", "content": "Thanks."],
                    ["role": "assistant", "content": [["type": "text", "text": "\nYou're welcome."]]],
                    ["role": "user", "content": "Bye."],
                ])
        #expect(
            converted.diagnostics.map(\.path) == ["/messages/1", "/messages/3"])
        // Another upstream reads the request as it was.
        let toChat = try client.upstreamBody(route: TestRoutes.openAI)
        #expect(toChat.body["messages"]?.arrayValue?.count == 7)
    }

    /// A Gemini text part of whitespace alone, signed, after a thought: the
    /// thought's block ends there, and the signature goes on a block of its
    /// own before the text, as for any text part with text (not on the
    /// thought); the whitespace then goes with the text after it.
    @Test func aSignedWhitespacePartEndsTheThoughtBeforeIt() {
        let payloads = [
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Pondering.","thought":true}]}}]}"#,
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"\n\n","thoughtSignature":"U0lH"}]}}]}"#,
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Answer."}]},"finishReason":"STOP"}]}"#,
        ]
        let frames = convertStream(Fixtures.sseBytes(payloads: payloads, framing: .dataOnly), route: TestRoutes.gemini)
        #expect(violations(frames) == [])
        let blocks = AssembledMessage(frames).blocks
        #expect(blocks.map(\.type) == ["thinking", "thinking", "text"])
        #expect(blocks.first?.text == "Pondering.")
        #expect(blocks.first?.signature == nil || blocks.first?.signature == "")
        #expect(blocks[1].signature?.contains("U0lH") == true, "\(blocks)")
        #expect(blocks.last?.text == "\n\nAnswer.")
    }

    /// A whole Gemini or Responses answer makes its text blocks as a stream
    /// does: whitespace alone goes with the text right after it (or, in a
    /// Gemini answer, with the text part right before it, as in its stream),
    /// and is dropped before a tool call or at the end.
    @Test func aWholeAnswersBlankPartsGoWithTheNextTextOrNowhere() throws {
        let gemini: JSONValue = [
            "candidates": [
                [
                    "content": [
                        "role": "model",
                        "parts": [
                            ["text": "\n"], ["text": "Hello."], ["text": " \n"],
                            ["functionCall": ["name": "weather", "args": [:]]], ["text": "\n\n"],
                        ],
                    ],
                    "finishReason": "STOP",
                ]
            ]
        ]
        let fromGemini = try ResponseConverter.convert(
            upstreamBody: gemini, route: TestRoutes.gemini, requestedModel: "c")
        let geminiBlocks = fromGemini["content"]?.arrayValue ?? []
        #expect(geminiBlocks.map { $0["type"]?.stringValue } == ["text", "tool_use"])
        #expect(geminiBlocks.first?["text"] == "\nHello. \n")
        let responses: JSONValue = [
            "id": "resp_1", "status": "completed",
            "output": [
                [
                    "type": "message", "role": "assistant",
                    "content": [["type": "output_text", "text": "\n\n"], ["type": "output_text", "text": "Hi."]],
                ],
                ["type": "function_call", "call_id": "call_1", "name": "weather", "arguments": "{}"],
            ],
        ]
        let fromResponses = try ResponseConverter.convert(
            upstreamBody: responses, route: TestRoutes.responses, requestedModel: "c")
        let responseBlocks = fromResponses["content"]?.arrayValue ?? []
        #expect(responseBlocks.map { $0["type"]?.stringValue } == ["text", "tool_use"])
        #expect(responseBlocks.first?["text"] == "\n\nHi.")
    }

    /// An assistant turn with no block at all (a Chat answer of only
    /// whitespace, converted) is left out too: Anthropic refuses it.
    @Test func anEmptyAssistantTurnIsLeftOutForAnAnthropicUpstream() throws {
        let body: JSONValue = [
            "model": "claude", "max_tokens": 1_000,
            "messages": [
                ["role": "user", "content": "Hi"], ["role": "assistant", "content": []],
                ["role": "user", "content": "Hello?"],
            ],
        ]
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body)
        let converted = try client.upstreamBody(route: TestRoutes.anthropic)
        #expect(
            converted.body["messages"]
                == [["role": "user", "content": "Hi"], ["role": "user", "content": "Hello?"]])
        #expect(
            converted.diagnostics.map(\.message) == [
                "assistant turn of only whitespace text (or none) left out: Anthropic refuses blank text"
            ])
    }

    /// A request with no blank text goes on untouched: its messages are
    /// copied as the client wrote them, spacing and all, not written anew.
    @Test func aRequestWithoutBlankTextKeepsItsMessagesBytes() throws {
        let text =
            #"{"model":"claude","max_tokens":10,"messages":[ {"role":"user","content":"Hi"} ,"#
            + #" {"role":"assistant","content":[{"type":"text","text":"Hello"}]}, {"role":"user","content":"Bye"} ]}"#
        let document = try JSONDocument(parsing: Array(text.utf8))
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: document.value)
        let converted = try client.upstreamBody(route: TestRoutes.anthropic)
        #expect(converted.diagnostics == [])
        let sent = text.replacingOccurrences(of: #""model":"claude""#, with: #""model":"claude-sonnet-4-5-20250929""#)
        #expect(String(decoding: converted.body.serialized(reusingMembersOf: document), as: UTF8.self) == sent)
    }
}
