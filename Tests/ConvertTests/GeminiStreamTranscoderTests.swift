import Testing
import Wire

@testable import Convert

/// The Gemini state machine fed hand-made chunks, for the cases the recorded
/// fixtures do not show.
@Suite struct GeminiStreamTranscoderTests {
    static func run(_ chunks: [JSONValue], error: APIError? = nil) -> [JSONValue] {
        var machine = GeminiStreamTranscoder(requestedModel: "claude-test", upstreamName: "gemini")
        let output = chunks.flatMap { machine.receive(chunk: $0) }
        return (output + machine.finish(error: error)).map(\.payload)
    }

    static func chunk(_ parts: [JSONValue], finish: String? = nil, usage: JSONValue? = nil) -> JSONValue {
        var candidate: JSONObject = ["content": ["role": "model", "parts": .array(parts)], "index": 0]
        if let finish { candidate["finishReason"] = .string(finish) }
        var object: JSONObject = ["candidates": [.object(candidate)], "responseId": "r1"]
        if let usage { object["usageMetadata"] = usage }
        return .object(object)
    }

    @Test func thoughtsBecomeThinkingWithTheirSignatureThenText() {
        let output = Self.run([
            Self.chunk([["text": "Let me think", "thought": true]]),
            Self.chunk([["text": " harder.", "thought": true, "thoughtSignature": "c2ln"]]),
            Self.chunk([["text": "Answer."]], finish: "STOP"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["thinking", "text"])
        #expect(message.blocks[0].text == "Let me think harder.")
        #expect(message.blocks[0].signature == "gemini:c2ln")
        #expect(message.blocks[1].text == "Answer.")
        #expect(message.stopReason == "end_turn")
    }

    @Test func emptyFinalPartsOpenNothing() {
        let output = Self.run([
            Self.chunk([["text": "Hi"]]),
            Self.chunk([["text": ""]], finish: "STOP"),
            Self.chunk([], usage: ["promptTokenCount": 4, "candidatesTokenCount": 1]),
        ])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).blocks.map(\.text) == ["Hi"])
        #expect(AssembledMessage(output).usage?["output_tokens"] == 1, "usage after the finish reason still counts")
    }

    @Test func finishReasonsMapToStopReasons() {
        let cases: [(String, String)] = [
            ("STOP", "end_turn"), ("MAX_TOKENS", "max_tokens"), ("SAFETY", "refusal"), ("RECITATION", "refusal"),
            ("OTHER", "end_turn"),
        ]
        for (reason, expected) in cases {
            let message = AssembledMessage(Self.run([Self.chunk([["text": "x"]], finish: reason)]))
            #expect(message.stopReason == expected, "\(reason)")
        }
    }

    @Test func blockedPromptIsAnEmptyRefusal() {
        let output = Self.run([["promptFeedback": ["blockReason": "SAFETY"], "responseId": "r"]])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).blocks.isEmpty)
        #expect(AssembledMessage(output).stopReason == "refusal")
    }

    @Test func cachedTokensAreReadFromThePrompt() {
        let usage: JSONValue = [
            "promptTokenCount": 1000, "cachedContentTokenCount": 800, "candidatesTokenCount": 5,
            "thoughtsTokenCount": 7,
        ]
        let message = AssembledMessage(Self.run([Self.chunk([["text": "x"]], finish: "STOP", usage: usage)]))
        #expect(
            message.usage
                == [
                    "input_tokens": 200, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 800,
                    "output_tokens": 12,
                ])
    }

    @Test func errorChunkMidStreamEndsWithAnErrorEvent() {
        let output = Self.run([
            Self.chunk([["text": "partial"]]),
            ["error": ["code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"]],
            Self.chunk([["text": "ignored"]], finish: "STOP"),
        ])
        #expect(violations(output) == [])
        let error = AssembledMessage(output).error
        #expect(error?["type"] == "overloaded_error")
        #expect(error?["message"]?.stringValue?.contains("The model is overloaded.") == true)
    }

    @Test func connectionFailureIsAnErrorEvent() {
        let output = Self.run(
            [Self.chunk([["text": "partial"]])], error: APIError(status: 502, type: "api_error", message: "reset"))
        #expect(violations(output) == [])
        #expect(output.last?["type"] == "error")
    }

    @Test func parallelWholeCallsAndNestedStreamedArguments() {
        let output = Self.run([
            Self.chunk([
                ["functionCall": ["name": "a", "args": ["x": 1]], "thoughtSignature": "c2lnMQ=="],
                ["functionCall": ["name": "b", "args": [:]]],
            ]),
            Self.chunk([["functionCall": ["name": "c", "willContinue": true]]]),
            Self.chunk([
                [
                    "functionCall": [
                        "partialArgs": [
                            ["jsonPath": "$.items[1].name", "stringValue": "ne", "willContinue": true],
                            ["jsonPath": "$.count", "numberValue": 2],
                        ],
                        "willContinue": true,
                    ]
                ]
            ]),
            Self.chunk([
                [
                    "functionCall": [
                        "partialArgs": [
                            ["jsonPath": "$.items[1].name", "stringValue": "st"],
                            ["jsonPath": "$['odd key']", "boolValue": true],
                        ]
                    ]
                ]
            ]),
            Self.chunk([["text": "done"]], finish: "STOP"),
        ])
        #expect(violations(output) == [])
        let message = AssembledMessage(output)
        #expect(message.blocks.map(\.type) == ["tool_use", "tool_use", "tool_use", "text"])
        #expect(message.blocks.map { $0.name ?? "" } == ["a", "b", "c", ""])
        #expect(message.input(ofBlock: 0) == ["x": 1])
        #expect(message.input(ofBlock: 1) == [:])
        #expect(message.input(ofBlock: 2) == ["items": [nil, ["name": "nest"]], "count": 2, "odd key": true])
        #expect(message.blocks[0].id?.hasSuffix("_gsig_c2lnMQ") == true)
        #expect(message.stopReason == "tool_use")
    }

    @Test func aPathDeeperThanTheLimitIsSkipped() {
        let deepest = "$" + String(repeating: ".a", count: GeminiPartialArguments.maxPathDepth)
        #expect(GeminiPartialArguments.components(of: deepest)?.count == GeminiPartialArguments.maxPathDepth)
        #expect(GeminiPartialArguments.components(of: deepest + ".a") == nil)
        // A million components overflowed the stack; now the entry is skipped.
        var arguments = GeminiPartialArguments()
        arguments.apply(["jsonPath": .string("$" + String(repeating: ".a", count: 1_000_000)), "boolValue": true])
        arguments.apply(["jsonPath": "$.b", "boolValue": true])
        #expect(arguments.value == ["b": true])
    }

    @Test func arraysArePaddedWithinOneBudgetForAllPaths() {
        var arguments = GeminiPartialArguments()
        arguments.apply(["jsonPath": "$.a[99999]", "boolValue": true])
        arguments.apply(["jsonPath": "$.b[2]", "boolValue": true])
        #expect(arguments.value["a"]?.arrayValue?.count == 100_000)
        #expect(arguments.value["b"] == nil, "past the budget: skipped")
        arguments.apply(["jsonPath": "$.a[100000]", "boolValue": false])
        #expect(arguments.value["a"]?[100_000] == false, "appending pads nothing")
        var nested = GeminiPartialArguments()
        nested.apply(["jsonPath": "$[50000][50000][50000]", "boolValue": true])
        #expect(nested.value == [:], "one entry past it is skipped whole")
    }

    @Test func arrayFormOfTheStreamIsAccepted() {
        let output = Self.run([[Self.chunk([["text": "a"]]), Self.chunk([["text": "b"]], finish: "STOP")]])
        #expect(violations(output) == [])
        #expect(AssembledMessage(output).blocks.map(\.text) == ["ab"])
    }
}
