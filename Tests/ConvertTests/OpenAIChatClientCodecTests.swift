import Convert
import Testing
import Wire

/// OpenAI Chat Completions requests into the pivot, answers back out.
@Suite struct OpenAIChatClientCodecTests {
    @Test func textAndSystemMessages() throws {
        let converted = try OpenAIChatClientCodec.decodeRequest([
            "model": "gpt-test", "max_completion_tokens": 100, "temperature": 0.5, "stop": "END", "user": "u1",
            "stream": true, "seed": 7,
            "messages": [
                ["role": "system", "content": "Be brief."], ["role": "developer", "content": "Use English."],
                ["role": "user", "content": "Hi"],
            ],
        ])
        let body = converted.body
        #expect(body["model"] == "gpt-test")
        #expect(body["max_tokens"] == 100)
        #expect(body["system"] == "Be brief.\n\nUse English.")
        #expect(body["messages"] == [["role": "user", "content": [["type": "text", "text": "Hi"]]]])
        #expect(body["temperature"] == 0.5)
        #expect(body["stop_sequences"] == ["END"])
        #expect(body["metadata"] == ["user_id": "u1"])
        #expect(body["stream"] == true)
        #expect(body["seed"] == 7, "carried for the upstreams that take it")
        #expect(converted.diagnostics.isEmpty, "\(converted.diagnostics)")
    }

    /// Unset, the cap leaves the default's room for the answer after the
    /// budget (4,096 with a budget of 4,095 left none); a cap the client
    /// set fits the budget below it, leaving the answer half.
    @Test func reasoningEffortBecomesABudgetWithRoomForTheAnswer() throws {
        let body = try OpenAIChatClientCodec.decodeRequest([
            "model": "m", "reasoning_effort": "medium", "messages": [["role": "user", "content": "Hi"]],
        ]).body
        #expect(body["max_tokens"] == 12288)
        #expect(body["thinking"] == ["type": "enabled", "budget_tokens": 8192])
        let capped = try OpenAIChatClientCodec.decodeRequest([
            "model": "m", "reasoning_effort": "medium", "max_completion_tokens": 4096,
            "messages": [["role": "user", "content": "Hi"]],
        ]).body
        #expect(capped["max_tokens"] == 4096)
        #expect(capped["thinking"] == ["type": "enabled", "budget_tokens": 2048])
        let plain = try OpenAIChatClientCodec.decodeRequest([
            "model": "m", "messages": [["role": "user", "content": "Hi"]],
        ]).body
        #expect(plain["max_tokens"] == 4096)
    }

    @Test func images() throws {
        let converted = try OpenAIChatClientCodec.decodeRequest([
            "model": "m",
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "What is this?"],
                        ["type": "image_url", "image_url": ["url": "data:image/png;base64,AAAA"]],
                        ["type": "image_url", "image_url": ["url": "https://example.com/a.jpg"]],
                        ["type": "image_url", "image_url": ["url": "data:image/png,not-base64"]],
                    ],
                ]
            ],
        ])
        #expect(
            converted.body["messages"]?[0]?["content"]
                == [
                    ["type": "text", "text": "What is this?"],
                    ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "AAAA"]],
                    ["type": "image", "source": ["type": "url", "url": "https://example.com/a.jpg"]],
                ])
        #expect(converted.diagnostics.map(\.path) == ["/messages/0/content/3"])
    }

    @Test func filePartsBecomeDocumentBlocks() throws {
        let converted = try OpenAIChatClientCodec.decodeRequest([
            "model": "m",
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Summarize these."],
                        [
                            "type": "file",
                            "file": ["filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBE"],
                        ],
                        ["type": "file", "file": ["file_data": "JVBF"]],
                        // Text: Anthropic's documents are base64 only for PDF.
                        [
                            "type": "file",
                            "file": ["filename": "n.md", "file_data": "data:text/markdown;base64,bm90ZXM6IGNhZsOp"],
                        ],
                    ],
                ]
            ],
        ])
        #expect(
            converted.body["messages"]?[0]?["content"]
                == [
                    ["type": "text", "text": "Summarize these."],
                    [
                        "type": "document", "title": "a.pdf",
                        "source": ["type": "base64", "media_type": "application/pdf", "data": "JVBE"],
                    ],
                    [
                        "type": "document",
                        "source": ["type": "base64", "media_type": "application/pdf", "data": "JVBF"],
                    ],
                    [
                        "type": "document", "title": "n.md",
                        "source": ["type": "text", "media_type": "text/plain", "data": "notes: café"],
                    ],
                ])
        #expect(converted.diagnostics.isEmpty)
    }

    /// An upload id names OpenAI's storage, which no other upstream reads:
    /// a 400 saying what to send, not an answer that never saw the file.
    @Test func fileIDOrAFileWithoutDataIsA400() {
        for (file, expected) in [
            (["file_id": "file-abc"], "messages[0].content[1].file.file_id names a file in OpenAI's file storage"),
            (["filename": "a.pdf"], "messages[0].content[1].file.file_data is required"),
            ("a.pdf", "messages[0].content[1].file is required and must be an object"),
        ] as [(JSONValue, String)] {
            do {
                _ = try OpenAIChatClientCodec.decodeRequest([
                    "model": "m",
                    "messages": [
                        [
                            "role": "user",
                            "content": [["type": "text", "text": "Read it."], ["type": "file", "file": file]],
                        ]
                    ],
                ])
                Issue.record("accepted \(file)")
            } catch {
                #expect(error.status == 400)
                #expect(error.message.hasPrefix(expected), "\(error.message)")
            }
        }
    }

    /// OpenAI answers a conversation of system messages alone; Anthropic
    /// needs a message, so their text becomes it, said once.
    @Test func systemMessagesAloneBecomeTheUserMessage() throws {
        let converted = try OpenAIChatClientCodec.decodeRequest([
            "model": "m",
            "messages": [["role": "system", "content": "Say hi"], ["role": "developer", "content": "In French."]],
        ])
        #expect(converted.body["system"] == nil)
        #expect(
            converted.body["messages"]
                == [["role": "user", "content": [["type": "text", "text": "Say hi\n\nIn French."]]]])
        #expect(converted.diagnostics.map(\.path) == ["/messages"])
        try RequestConverter.validate(anthropicRequest: converted.body)
    }

    @Test func toolsToolChoiceAndMergedToolResults() throws {
        let converted = try OpenAIChatClientCodec.decodeRequest([
            "model": "m", "parallel_tool_calls": false,
            "tools": [
                [
                    "type": "function",
                    "function": ["name": "weather", "description": "Weather", "parameters": ["type": "object"]],
                ]
            ],
            "tool_choice": ["type": "function", "function": ["name": "weather"]],
            "messages": [
                ["role": "user", "content": "Weather?"],
                [
                    "role": "assistant", "content": nil, "reasoning_content": "Look it up.",
                    "tool_calls": [
                        [
                            "id": "c1", "type": "function",
                            "function": ["name": "weather", "arguments": "{\"city\":\"Oslo\"}"],
                        ],
                        ["id": "c2", "type": "function", "function": ["name": "weather", "arguments": "{broken"]],
                    ],
                ],
                ["role": "tool", "tool_call_id": "c1", "content": "sunny"],
                ["role": "tool", "tool_call_id": "c2", "content": "rain"],
            ],
        ])
        let body = converted.body
        #expect(body["tools"] == [["name": "weather", "description": "Weather", "input_schema": ["type": "object"]]])
        #expect(body["tool_choice"] == ["type": "tool", "name": "weather", "disable_parallel_tool_use": true])
        let messages = body["messages"]?.arrayValue ?? []
        #expect(messages.count == 3)
        #expect(
            messages[1]
                == [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "Look it up.", "signature": ""],
                        ["type": "tool_use", "id": "c1", "name": "weather", "input": ["city": "Oslo"]],
                        ["type": "tool_use", "id": "c2", "name": "weather", "input": [:]],
                    ],
                ])
        #expect(
            messages[2]
                == [
                    "role": "user",
                    "content": [
                        ["type": "tool_result", "tool_use_id": "c1", "content": "sunny"],
                        ["type": "tool_result", "tool_use_id": "c2", "content": "rain"],
                    ],
                ])
        #expect(converted.diagnostics.contains { $0.path == "/messages/1/tool_calls/1/function/arguments" })
    }

    @Test func toolChoiceWords() throws {
        for (word, type) in [("auto", "auto"), ("none", "none"), ("required", "any")] {
            let body = try OpenAIChatClientCodec.decodeRequest([
                "model": "m", "tool_choice": .string(word), "messages": [["role": "user", "content": "x"]],
                "tools": [["type": "function", "function": ["name": "f"]]],
            ]).body
            #expect(body["tool_choice"] == ["type": .string(type)])
        }
    }

    @Test func moreThanOneChoiceIsRefused() {
        #expect {
            try OpenAIChatClientCodec.decodeRequest(["model": "m", "n": 2, "messages": []])
        } throws: { error in
            let apiError = error as? APIError
            return apiError?.status == 400 && apiError?.message.contains("n: 2") == true
        }
    }

    /// The refusal names the cap the client sent: the deprecated
    /// `max_tokens` is still what most clients send.
    static let capsBelowOne: [(JSONValue, String)] = [
        (["max_tokens": -5], "max_tokens must be at least 1, got -5"),
        (["max_completion_tokens": 0], "max_completion_tokens must be at least 1, got 0"),
        (["max_completion_tokens": -1, "max_tokens": 10], "max_completion_tokens must be at least 1, got -1"),
    ]

    @Test(arguments: capsBelowOne)
    func aCapBelowOneIsRefusedByItsName(cap: JSONValue, message: String) {
        var body: JSONValue = ["model": "m", "messages": [["role": "user", "content": "hi"]]]
        for member in cap.objectValue ?? [:] { body[member.key] = member.value }
        #expect {
            try OpenAIChatClientCodec.decodeRequest(body)
        } throws: { error in
            (error as? APIError)?.status == 400 && (error as? APIError)?.message == message
        }
    }

    static let badRequests: [(JSONValue, String)] = [
        (["messages": []], "model"),
        (["model": "m"], "messages"),
        (["model": 3, "messages": []], "model"),
        (["model": "m", "messages": "hi"], "messages"),
        (["model": "m", "messages": [["role": "user", "content": 5]]], "messages[0].content"),
        (["model": "m", "max_tokens": "many", "messages": []], "max_tokens"),
        (["model": "m", "temperature": "hot", "messages": []], "temperature"),
    ]

    @Test(arguments: badRequests)
    func wrongTypesAreA400NamingTheField(body: JSONValue, field: String) {
        do {
            _ = try OpenAIChatClientCodec.decodeRequest(body)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.status == 400)
            #expect(error.type == "invalid_request_error")
            #expect(error.message.hasPrefix(field + " "), "\(error.message)")
        }
    }

    @Test func textResponse() {
        let completion = OpenAIChatClientCodec.encodeResponse(
            [
                "id": "msg_1", "type": "message", "role": "assistant", "model": "claude",
                "content": [["type": "text", "text": "Hello"], ["type": "text", "text": " there"]],
                "stop_reason": "end_turn", "usage": ["input_tokens": 10, "output_tokens": 3],
            ], requestedModel: "gpt-test", created: 1_700_000_000)
        #expect(completion["id"] == "chatcmpl-msg_1")
        #expect(completion["object"] == "chat.completion")
        #expect(completion["created"] == 1_700_000_000)
        #expect(completion["model"] == "gpt-test")
        #expect(completion["choices"]?[0]?["message"] == ["role": "assistant", "content": "Hello there"])
        #expect(completion["choices"]?[0]?["finish_reason"] == "stop")
    }

    @Test func toolCallReasoningAndCachedUsage() {
        let completion = OpenAIChatClientCodec.encodeResponse(
            [
                "id": "msg_2",
                "content": [
                    ["type": "thinking", "thinking": "Need weather.", "signature": "sig"],
                    ["type": "tool_use", "id": "t1", "name": "weather", "input": ["city": "Oslo"]],
                ],
                "stop_reason": "tool_use",
                "usage": [
                    "input_tokens": 5, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 20,
                    "output_tokens": 7,
                ],
            ], requestedModel: "gpt-test", created: 1_700_000_000)
        let message = completion["choices"]?[0]?["message"]
        #expect(message?["content"] == nil as JSONValue)
        #expect(message?["reasoning_content"] == "Need weather.")
        #expect(
            message?["tool_calls"]
                == [
                    [
                        "id": "t1", "type": "function",
                        "function": ["name": "weather", "arguments": "{\"city\":\"Oslo\"}"],
                    ]
                ])
        #expect(completion["choices"]?[0]?["finish_reason"] == "tool_calls")
        #expect(
            completion["usage"]
                == [
                    "prompt_tokens": 125, "completion_tokens": 7, "total_tokens": 132,
                    "prompt_tokens_details": ["cached_tokens": 100],
                ])
    }

    @Test func stopReasonsMapToFinishReasons() {
        for (stop, finish) in [("max_tokens", "length"), ("refusal", "content_filter"), ("stop_sequence", "stop")] {
            let completion = OpenAIChatClientCodec.encodeResponse(
                ["id": "m", "content": [], "stop_reason": .string(stop)], requestedModel: "g", created: 1_700_000_000)
            #expect(completion["choices"]?[0]?["finish_reason"] == .string(finish))
        }
    }
}
