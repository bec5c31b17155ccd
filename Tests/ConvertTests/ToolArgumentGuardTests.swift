import SSE
import TestSupport
import Testing
import Wire

@testable import Convert

/// Streamed tool calls from converted upstreams are checked against the
/// client's `input_schema` before the client sees the block end: certain
/// repairs are made, anything else ends the stream with an error that
/// names the tool and the field.
@Suite struct ToolArgumentGuardTests {
    static let tools: JSONValue = [
        [
            "name": "Write", "description": "Writes a file",
            "input_schema": [
                "type": "object",
                "properties": [
                    "file_path": ["type": "string"], "content": ["type": "string"], "mode": ["type": "integer"],
                    "tags": ["type": "array", "items": ["type": "string"]],
                ],
                "required": ["file_path", "content"],
            ],
        ]
    ]

    /// What the client got, and what the converter reported.
    struct Run {
        var events: [SSEEvent]
        var diagnostics: [ConversionDiagnostic]
        var reportedError: APIError?

        var message: AssembledMessage { AssembledMessage(events) }
        var warnings: [String] { diagnostics.filter { $0.severity == .warning }.map(\.message) }
    }

    /// An OpenAI upstream streaming one `Write` call whose arguments arrive
    /// in `fragments`, then `finish_reason: tool_calls`.
    static func run(
        _ fragments: [String], name: String = "Write", tools: JSONValue? = tools, sliceSize: Int? = nil,
        finish: String = "tool_calls"
    ) -> Run {
        var payloads = [chunk(toolCalls: [toolFragment(0, id: "call_1", name: name, arguments: "")])]
        payloads += fragments.map { chunk(toolCalls: [toolFragment(0, arguments: $0)]) }
        payloads.append(chunk(finish: finish))
        let bytes = Fixtures.sseBytes(payloads: payloads.map { $0.serializedString() }, framing: .openAIChat)
        var converter = UpstreamStreamConverter(route: TestRoutes.openAI, requestedModel: "claude-test") { tools }
        let events = feed(bytes, to: &converter, sliceSize: sliceSize)
        return Run(events: events, diagnostics: converter.takeDiagnostics(), reportedError: converter.reportedError)
    }

    @Test func argumentsThatFitTheSchemaPassUntouched() {
        let run = Self.run(["{\"file_path\":\"a.txt\",", "\"content\":\"x, y\",\"tags\":[\"a\",\"b\"]}"])
        #expect(violations(run.events) == [])
        #expect(run.message.blocks.map(\.text) == [#"{"file_path":"a.txt","content":"x, y","tags":["a","b"]}"#])
        #expect(run.message.stopReason == "tool_use")
        #expect(run.diagnostics == [])
        #expect(run.reportedError == nil)
    }

    @Test func aTruncatedArgumentStreamIsClosed() {
        for sliceSize in [nil, 7] {
            let run = Self.run(
                ["{\"file_path\":\"a.txt\",\"content\":", "\"hi\",\"tags\":[\"a\""], sliceSize: sliceSize)
            #expect(violations(run.events) == [])
            #expect(run.message.input(ofBlock: 0) == ["file_path": "a.txt", "content": "hi", "tags": ["a"]])
            #expect(run.message.stopReason == "tool_use")
            #expect(run.warnings == [#"tool "Write": arguments were cut short; closed them with ]}"#])
            #expect(run.diagnostics.map(\.path) == ["/content/0/input"])
            #expect(run.reportedError == nil)
        }
    }

    @Test func argumentsOfWhitespaceAloneAreFollowedByTheEmptyObject() {
        let run = Self.run([" ", "\n"], name: "Ping")
        #expect(violations(run.events) == [])
        #expect(run.message.blocks.map(\.text) == [" \n{}"])
        #expect(run.message.input(ofBlock: 0) == [:])
        #expect(run.warnings == [#"tool "Ping": arguments were only whitespace; sent {} after them"#])
        #expect(run.reportedError == nil)

        let none = Self.run([], name: "Ping")
        #expect(none.message.blocks.map(\.text) == [""])
        #expect(none.diagnostics == [])
    }

    @Test func aTrailingCommaIsDropped() {
        let run = Self.run(["{\"file_path\":\"a.txt\",\"content\":\"hi\",", " \n", "}"])
        #expect(violations(run.events) == [])
        #expect(run.message.blocks.map(\.text) == ["{\"file_path\":\"a.txt\",\"content\":\"hi\" \n}"])
        #expect(run.warnings == [#"tool "Write": dropped a trailing comma from its arguments"#])

        let cut = Self.run(["{\"file_path\":\"a.txt\",\"content\":\"hi\","])
        #expect(cut.message.blocks.map(\.text) == [#"{"file_path":"a.txt","content":"hi"}"#])
        #expect(cut.warnings.count == 2)
        #expect(cut.reportedError == nil)
    }

    @Test func aMissingRequiredFieldEndsTheStreamWithAnError() {
        let run = Self.run(["{\"file_path\":\"a.txt\"}"])
        #expect(violations(run.events) == [])
        #expect(run.events.last?.event == "error")
        #expect(run.message.stopReason == nil)
        #expect(!run.message.eventNames.contains("content_block_stop"))
        let message = run.message.error?["message"]?.stringValue ?? ""
        #expect(message == #"upstream deepseek called tool "Write" wrongly: field "content" is required but missing"#)
        #expect(run.reportedError?.status == 502)
        #expect(run.warnings == ["rejected: \(message)"])
    }

    @Test(arguments: [
        (#"{"file_path":"a","content":"x","mode":"755"}"#, #"field "mode" must be an integer, not a string"#),
        (#"{"file_path":"a","content":"x","mode":7.5}"#, #"field "mode" must be an integer, not a number"#),
        (#"{"file_path":"a","content":"x","tags":["a",2]}"#, #"field "tags[1]" must be a string, not a number"#),
        (#"{"file_path":7,"content":"x"}"#, #"field "file_path" must be a string, not a number"#),
        (#"["a.txt"]"#, "its arguments must be a JSON object, not array"),
        (#"{"file_path":"a.t"#, #"its arguments are not valid JSON, they end inside a string: {"file_path":"a.t"#),
        (
            #"{"file_path":"a","content":"#,
            #"its arguments are not valid JSON, they end before a value is complete: {"file_path":"a","content":"#
        ),
        (#"{"file_path":"a"]"#, #"its arguments are not valid JSON, they are malformed: {"file_path":"a"]"#),
        (
            #"{"file_path":"a","content":"x","mode":12"#,
            #"its arguments are not valid JSON, they end inside a number: {"file_path":"a","content":"x","mode":12"#
        ),
    ])
    func aWrongCallEndsTheStreamNamingTheField(arguments: String, problem: String) {
        let run = Self.run([arguments])
        #expect(violations(run.events) == [])
        #expect(run.events.last?.event == "error")
        #expect(
            run.message.error?["message"]?.stringValue == "upstream deepseek called tool \"Write\" wrongly: \(problem)")
    }

    @Test func aCutAfterALiteralIsClosed() {
        let run = Self.run([#"{"file_path":"a","content":"x","append":true"#])
        #expect(run.reportedError == nil)
        #expect(run.message.input(ofBlock: 0) == ["file_path": "a", "content": "x", "append": true])
    }

    @Test func aNumberFollowedByACommaWasComplete() {
        let run = Self.run([#"{"file_path":"a","content":"x","mode":12,"#])
        #expect(run.reportedError == nil)
        #expect(run.message.input(ofBlock: 0) == ["file_path": "a", "content": "x", "mode": 12])
    }

    /// Cut by the output cap, a call goes on as it is, as Anthropic sends
    /// one: the client is told the answer hit max_tokens.
    @Test func aCallCutByMaxTokensIsPassedOnUnrefused() {
        let run = Self.run([#"{"file_path":"a.t"#], finish: "length")
        // The strict checker flags the cut input, and nothing else.
        #expect(violations(run.events) == [#"event 4: tool_use block 0 input is not a JSON object: {"file_path":"a.t"#])
        #expect(run.reportedError == nil)
        #expect(run.message.stopReason == "max_tokens")
        #expect(run.message.blocks.map(\.text) == [#"{"file_path":"a.t"#])
        #expect(run.message.eventNames.suffix(3) == ["content_block_stop", "message_delta", "message_stop"])
        #expect(run.diagnostics.map(\.severity) == [.info])
        #expect(run.diagnostics.first?.message.hasPrefix("not refused, the answer hit max_tokens: ") == true)
    }

    @Test func aWholeNumberWrittenAsADoubleIsAnInteger() {
        let run = Self.run([#"{"file_path":"a","content":"x","mode":7.0}"#])
        #expect(run.reportedError == nil)
        #expect(run.message.stopReason == "tool_use")
    }

    @Test func aToolTheRequestDoesNotNameIsOnlyCheckedForJSON() {
        #expect(Self.run(["{\"anything\":1}"], name: "Other").reportedError == nil)
        #expect(Self.run([], name: "Other").message.input(ofBlock: 0) == [:])
        #expect(Self.run(["{\"a\":"], name: "Other").reportedError != nil)
        #expect(Self.run(["{\"file_path\":\"a\"}"], tools: nil).reportedError == nil)
    }

    @Test func aGeminiCallMissingAFieldIsRefused() {
        let route = RouteOptions(modelID: "gem", upstreamDialect: .gemini, upstreamModel: "gemini-2.5-flash")
        let payload: JSONValue = [
            "candidates": [
                [
                    "content": [
                        "role": "model", "parts": [["functionCall": ["name": "Write", "args": ["content": "x"]]]],
                    ],
                    "finishReason": "STOP",
                ]
            ]
        ]
        let bytes = Fixtures.sseBytes(payloads: [payload.serializedString()], framing: .dataOnly)
        var converter = UpstreamStreamConverter(route: route, requestedModel: "claude-test") { Self.tools }
        let events = feed(bytes, to: &converter)
        #expect(violations(events) == [])
        #expect(
            AssembledMessage(events).error?["message"]?.stringValue
                == #"upstream gem called tool "Write" wrongly: field "file_path" is required but missing"#)
    }

    /// An OpenAI Chat client's own tools are read through the pivot, and the
    /// refusal reaches it in OpenAI's error shape.
    @Test func anOpenAIClientGetsTheRefusalInItsOwnShape() throws {
        let body: JSONValue = [
            "model": "claude-test", "stream": true, "messages": [["role": "user", "content": "write"]],
            "tools": [
                [
                    "type": "function",
                    "function": [
                        "name": "Write",
                        "parameters": [
                            "type": "object", "properties": ["file_path": ["type": "string"]],
                            "required": ["file_path"],
                        ],
                    ],
                ]
            ],
        ]
        let endpoint = try #require(ClientEndpoint.parse(path: "/v1/chat/completions", query: nil))
        let client = try ClientRequest(endpoint: endpoint, body: body)
        let route = RouteOptions(modelID: "gem", upstreamDialect: .gemini, upstreamModel: "gemini-2.5-flash")
        let payload: JSONValue = [
            "candidates": [
                ["content": ["role": "model", "parts": [["functionCall": ["name": "Write", "args": [:]]]]]]
            ]
        ]
        var converter = client.streamConverter(route: route, createdAt: 0)
        let frames = feed(
            Fixtures.sseBytes(payloads: [payload.serializedString()], framing: .dataOnly), to: &converter)
        let last = try JSONValue(parsing: try #require(frames.last).data)
        #expect(
            last["error"]?["message"]
                == #"upstream gem called tool "Write" wrongly: field "file_path" is required but missing"#)
        #expect(converter.takeDiagnostics().count == 1)
    }
}

@Suite struct ToolInputSchemaTests {
    static func problem(_ value: JSONValue, _ schema: JSONValue) -> String? {
        guard case .object(let object) = schema else { return "not a schema" }
        return ToolInputSchema(schema: object).firstViolation(in: value).map { "\($0.field): \($0.problem)" }
    }

    @Test func typesListsAndNullable() {
        #expect(Self.problem(nil, ["type": ["string", "null"]]) == nil)
        #expect(Self.problem(nil, ["type": "string", "nullable": true]) == nil)
        #expect(Self.problem(3, ["type": ["string", "null"]]) == ": must be a string or null, not a number")
        #expect(Self.problem(true, ["type": "boolean"]) == nil)
        #expect(Self.problem("x", ["type": "whatever"]) == nil)
        #expect(Self.problem("x", [:]) == nil)
    }

    @Test func nestedObjectsAndArrays() {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "edits": [
                    "type": "array",
                    "items": [
                        "type": "object", "properties": ["old": ["type": "string"]], "required": ["old", "new"],
                    ],
                ]
            ],
        ]
        #expect(Self.problem(["edits": [["old": "a", "new": "b"]]], schema) == nil)
        #expect(
            Self.problem(["edits": [["old": "a", "new": "b"], ["old": "a"]]], schema)
                == "edits[1].new: is required but missing")
        #expect(
            Self.problem(["edits": [["old": 1, "new": "b"]]], schema) == "edits[0].old: must be a string, not a number")
    }

    @Test func combinatorsAreLeftToTheClient() {
        #expect(Self.problem(5, ["anyOf": [["type": "string"]]]) == nil)
        #expect(
            Self.problem(["a": 5], ["type": "object", "properties": ["a": ["oneOf": [["type": "string"]]]]]) == nil)
        #expect(Self.problem(["a": 5], ["type": "object", "properties": ["a": ["$ref": "#/defs/x"]]]) == nil)
    }
}
