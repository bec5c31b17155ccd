import Convert
import Testing
import Wire

@Suite struct OpenAIChatStreamTranscoderTests {
    @Test func textStreamHasTheExactEventSequence() {
        let output = transcode([
            chunk(content: ""), chunk(content: "Hel"), chunk(content: "lo"), chunk(finish: "stop"),
            chunk(usage: ["prompt_tokens": 10, "completion_tokens": 2]),
        ])
        #expect(violations(output) == [])
        #expect(
            output.map(\.description) == [
                #"{"type":"message_start","message":{"id":"msg_chatcmpl-1","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}"#,
                #"{"type":"ping"}"#,
                #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
                #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#,
                #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}"#,
                #"{"type":"content_block_stop","index":0}"#,
                #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}}"#,
                #"{"type":"message_stop"}"#,
            ])
    }

    @Test func emptyAndNullContentOpensNoBlock() {
        let nullContent: JSONValue = [
            "id": "c",
            "choices": [["index": 0, "delta": ["role": "assistant", "content": nil], "finish_reason": nil]],
        ]
        let output = transcode([nullContent, chunk(content: ""), chunk(content: ""), chunk(finish: "stop")])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).blocks.isEmpty)
        #expect(AssembledMessage(output).stopReason == "end_turn")
    }

    @Test func usageAfterFinishReasonReachesTheFinalMessageDelta() {
        var machine = OpenAIChatStreamTranscoder(requestedModel: "m", upstreamName: "u")
        var output = machine.receive(chunk: chunk(content: "Hi"))
        let atFinish = machine.receive(chunk: chunk(finish: "length"))
        // The block closes at finish_reason, but the message waits for usage.
        #expect(atFinish.map { $0["type"]?.stringValue } == ["content_block_stop"])
        output += atFinish
        output += machine.receive(
            chunk: [
                "id": "chatcmpl-1", "choices": [],
                "usage": [
                    "prompt_tokens": 100, "completion_tokens": 7, "prompt_tokens_details": ["cached_tokens": 60],
                ],
            ])
        output += machine.receiveDone()
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.stopReason == "max_tokens")
        #expect(
            message.usage
                == [
                    "input_tokens": 40, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 60,
                    "output_tokens": 7,
                ])
        #expect(machine.usage?["output_tokens"] == 7)
        #expect(machine.receive(chunk: chunk(content: "late")) == [])
    }

    @Test func reasoningBecomesAThinkingBlockBeforeText() {
        let output = transcode([
            chunk(reasoning: ""), chunk(reasoning: "Let me"), chunk(reasoning: " think"), chunk(content: "Answer"),
            chunk(finish: "stop"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["thinking", "text"])
        #expect(message.blocks[0].text == "Let me think")
        #expect(message.blocks[0].signature == nil, "no signature is invented")
        #expect(message.blocks[1].text == "Answer")
    }

    @Test func aRealReasoningSignatureIsSentBeforeTheThinkingBlockCloses() {
        let signed: JSONValue = [
            "id": "c",
            "choices": [
                [
                    "index": 0, "finish_reason": nil,
                    "delta": [
                        "reasoning": "hmm", "reasoning_details": [["type": "reasoning.text", "signature": "sig-1"]],
                    ],
                ]
            ],
        ]
        let output = transcode([signed, chunk(content: "ok"), chunk(finish: "stop")])
        #expect(violations(output) == [])
        #expect(output[4]["delta"] == ["type": "signature_delta", "signature": "sig-1"])
        #expect(output[5] == ["type": "content_block_stop", "index": 0])
    }

    @Test func toolCallWithIdAndNameArrivingLate() {
        let output = transcode([
            chunk(content: "Checking."),
            chunk(toolCalls: [toolFragment(0, arguments: "{\"loc")]),
            chunk(toolCalls: [toolFragment(0, arguments: "ation\": \"Pa")]),
            chunk(toolCalls: [toolFragment(0, id: "call_9", name: "weather", arguments: "ris\"}")]),
            chunk(finish: "tool_calls"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["text", "tool_use"])
        #expect(message.blocks[1].id == "call_9")
        #expect(message.blocks[1].name == "weather")
        #expect(message.input(ofBlock: 1) == ["location": "Paris"])
        #expect(message.stopReason == "tool_use")
    }

    @Test func argumentsSplitInsideAMultiByteCharacterStillJoin() {
        // Chunks are parsed JSON, so a split character arrives as two whole
        // strings around it; what matters is that nothing is re-encoded.
        let output = transcode([
            chunk(toolCalls: [toolFragment(0, id: "c1", name: "Write", arguments: "{\"content\": \"h\u{e9}")]),
            chunk(toolCalls: [toolFragment(0, arguments: "llo \u{1F600}\"}")]),
            chunk(finish: "tool_calls"),
        ])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).input(ofBlock: 0) == ["content": "h\u{e9}llo \u{1F600}"])
    }

    @Test func sequentialParallelCallsStreamLive() {
        var machine = OpenAIChatStreamTranscoder(requestedModel: "m", upstreamName: "u")
        var output = machine.receive(
            chunk: chunk(toolCalls: [toolFragment(0, id: "a", name: "Read", arguments: "{\"p\":")]))
        output += machine.receive(chunk: chunk(toolCalls: [toolFragment(0, arguments: "1}")]))
        let second = machine.receive(chunk: chunk(toolCalls: [toolFragment(1, id: "b", name: "Bash", arguments: "{")]))
        // Call 0's arguments are complete JSON, so call 1 starts at once.
        #expect(
            second.map { $0["type"]?.stringValue } == [
                "content_block_stop", "content_block_start", "content_block_delta",
            ])
        output += second
        output += machine.receive(chunk: chunk(toolCalls: [toolFragment(1, arguments: "\"c\":2}")]))
        output += machine.receive(chunk: chunk(finish: "tool_calls"))
        output += machine.receiveDone()
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.name) == ["Read", "Bash"])
        #expect(message.input(ofBlock: 0) == ["p": 1])
        #expect(message.input(ofBlock: 1) == ["c": 2])
    }

    @Test func interleavedParallelCallsAreBufferedAndStayCorrect() {
        let output = transcode([
            chunk(toolCalls: [toolFragment(0, id: "a", name: "Read", arguments: "{\"file\":")]),
            chunk(toolCalls: [toolFragment(1, id: "b", name: "Glob", arguments: "{\"pattern\":")]),
            chunk(toolCalls: [toolFragment(2, id: "c", name: "Grep")]),
            chunk(toolCalls: [toolFragment(0, arguments: "\"a.txt\"")]),
            chunk(toolCalls: [toolFragment(1, arguments: "\"*.swift\"}"), toolFragment(2, arguments: "{\"q\":")]),
            chunk(toolCalls: [toolFragment(0, arguments: "}")]),
            chunk(toolCalls: [toolFragment(2, arguments: "\"x\"}")]),
            chunk(finish: "tool_calls"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.id) == ["a", "b", "c"])
        #expect(message.input(ofBlock: 0) == ["file": "a.txt"])
        #expect(message.input(ofBlock: 1) == ["pattern": "*.swift"])
        #expect(message.input(ofBlock: 2) == ["q": "x"])
    }

    @Test func toolCallsInOneChunkWithoutIndexes() {
        // Mistral sends whole calls with no `index`.
        let calls: [JSONValue] = [
            ["id": "x1", "function": ["name": "a", "arguments": "{\"n\":1}"]],
            ["id": "x2", "function": ["name": "b", "arguments": "{\"n\":2}"]],
        ]
        let output = transcode([chunk(toolCalls: calls, finish: "tool_calls")])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.name) == ["a", "b"])
        #expect(message.input(ofBlock: 1) == ["n": 2])
    }

    @Test func wholeCallsThatReuseIndexZeroStayApart() {
        let output = transcode([
            chunk(toolCalls: [toolFragment(0, id: "a", name: "Read", arguments: "{\"f\":1}")]),
            chunk(toolCalls: [toolFragment(0, id: "b", name: "Read", arguments: "{\"f\":2}")]),
            chunk(toolCalls: [toolFragment(0, arguments: "")]),
            chunk(finish: "tool_calls"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.id) == ["a", "b"])
        #expect(message.input(ofBlock: 0) == ["f": 1])
        #expect(message.input(ofBlock: 1) == ["f": 2])
    }

    @Test func toolCallWithNoArgumentsAtAll() {
        let output = transcode([chunk(toolCalls: [toolFragment(0, id: "t", name: "now")]), chunk(finish: "tool_calls")])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).input(ofBlock: 0) == [:])
    }

    @Test func textAfterAnIncompleteToolCallWaitsForIt() {
        let output = transcode([
            chunk(toolCalls: [toolFragment(0, id: "t", name: "Write", arguments: "{\"a\":")]),
            chunk(content: "while"),
            chunk(toolCalls: [toolFragment(0, arguments: "1}")]),
            chunk(finish: "tool_calls"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["tool_use", "text"])
        #expect(message.input(ofBlock: 0) == ["a": 1])
        #expect(message.blocks[1].text == "while")
    }

    @Test func errorChunkMidStreamEndsWithAnErrorEventOnly() {
        var machine = OpenAIChatStreamTranscoder(requestedModel: "m", upstreamName: "deepseek")
        var output = machine.receive(chunk: chunk(content: "partial"))
        output += machine.receive(
            chunk: ["error": ["message": "Rate limit reached", "type": "rate_limit_exceeded", "code": nil]])
        output += machine.receive(chunk: chunk(content: "more"))
        output += machine.receiveDone()
        output += machine.finish(error: nil)
        #expect(violations(output) == [])
        #expect(output.last?["type"] == "error")
        #expect(output.last?["error"]?["type"] == "rate_limit_error")
        #expect(output.last?["error"]?["message"]?.stringValue?.contains("Rate limit reached") == true)
        #expect(output.last?["error"]?["message"]?.stringValue?.contains("deepseek") == true)
        #expect(output.filter { $0["type"] == "error" }.count == 1)
        #expect(!output.contains { $0["type"] == "message_stop" })
    }

    @Test func truncatedStreamEndsWithAnErrorEvent() {
        let output = transcode(
            [chunk(content: "cut"), chunk(toolCalls: [toolFragment(0, id: "t", name: "x")])], done: false)
        #expect(violations(output) == [])
        #expect(output.last?["type"] == "error")
        #expect(output.last?["error"]?["message"]?.stringValue?.contains("ended early") == true)
    }

    @Test func connectionFailureEndsWithTheGivenError() {
        let failure = APIError(status: 502, type: "api_error", message: "connection reset")
        let output = transcode([chunk(content: "x")], done: false, error: failure)
        #expect(violations(output) == [])
        #expect(output.last == ["type": "error", "error": ["type": "api_error", "message": "connection reset"]])
    }

    @Test func doneWithoutFinishReasonIsACleanEnd() {
        let output = transcode([chunk(content: "all")])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).stopReason == "end_turn")
    }

    @Test func finishReasonsMapToStopReasons() {
        for (finish, expected) in [
            ("stop", "end_turn"), ("length", "max_tokens"), ("tool_calls", "tool_use"), ("content_filter", "refusal"),
        ] {
            let output = transcode([chunk(content: "x"), chunk(finish: finish)])
            #expect(AssembledMessage(output).stopReason == expected, "\(finish)")
        }
    }

    @Test func matchedStopSequenceIsReported() {
        let stopped: JSONValue = [
            "id": "c", "choices": [["index": 0, "delta": [:], "finish_reason": "stop", "stop_reason": "END"]],
        ]
        let output = transcode([chunk(content: "x"), stopped])
        #expect(violations(output) == [])
        #expect(output[output.count - 2]["delta"] == ["stop_reason": "stop_sequence", "stop_sequence": "END"])
    }

    @Test func nothingButDoneStillMakesAValidEmptyMessage() {
        let output = transcode([])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).eventNames == ["message_start", "ping", "message_delta", "message_stop"])
    }

    @Test func usageInTheFirstChunkSetsMessageStartInputTokens() {
        let output = transcode([
            chunk(content: "x", usage: ["prompt_tokens": 12, "completion_tokens": 0]), chunk(finish: "stop"),
        ])
        #expect(output[0]["message"]?["usage"]?["input_tokens"] == 12)
        #expect(output[0]["message"]?["usage"]?["output_tokens"] == 0)
    }
}
