import Convert
import TestSupport
import Testing
import Wire

@Suite struct GeminiRequestConverterTests {
    static func request(
        _ extra: JSONObject = [:], messages: JSONValue = [["role": "user", "content": "Hi"]]
    ) -> JSONValue {
        var body: JSONObject = ["model": "claude-sonnet", "max_tokens": 1024, "messages": messages]
        for member in extra { body[member.key] = member.value }
        return .object(body)
    }

    static func convert(_ request: JSONValue, route: RouteOptions = TestRoutes.gemini) throws -> ConvertedRequest {
        try RequestConverter.convert(anthropicRequest: request, route: route)
    }

    @Test func aLongChainOfDefinitionsIsCutNotRecursedThrough() throws {
        // Each definition names the next twice: inlined whole, 3,000 links recursed past the stack and doubled
        // the work with each one.
        var definitions = JSONObject()
        for link in 0..<3000 {
            let next: JSONValue = ["$ref": .string("#/$defs/d\(link + 1)")]
            definitions["d\(link)"] = ["type": "object", "properties": ["x": next, "y": next]]
        }
        let schema: JSONValue = ["$ref": "#/$defs/d0", "$defs": .object(definitions)]
        let converted = try Self.convert(Self.request(["tools": [["name": "Chain", "input_schema": schema]]]))
        let messages = converted.diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("$refs inlined more than 64 deep") })
        #expect(messages.contains { $0.hasPrefix("more than 4096 $refs inlined") })
        #expect(messages.filter { $0.hasSuffix("inlined") }.count == 4096)
    }

    @Test func aDefinitionNamedManyTimesIsInlinedEachTime() throws {
        let properties = JSONObject(
            (0..<300).map { JSONObject.Member(key: "p\($0)", value: ["$ref": "#/$defs/Place"]) })
        let schema: JSONValue = [
            "type": "object", "properties": .object(properties),
            "$defs": ["Place": ["type": "object", "properties": ["city": ["type": "string"]]]],
        ]
        let converted = try Self.convert(Self.request(["tools": [["name": "Many", "input_schema": schema]]]))
        #expect(converted.diagnostics.allSatisfy { $0.severity != .warning })
        let parameters = converted.body["tools"]?[0]?["functionDeclarations"]?[0]?["parameters"]
        #expect(parameters?["properties"]?["p299"] == ["type": "object", "properties": ["city": ["type": "string"]]])
    }

    @Test func minimalRequestIsExact() throws {
        let converted = try Self.convert(Self.request(["stream": true]))
        #expect(
            converted.body.serializedString()
                == #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":1024}}"#
        )
        #expect(converted.diagnostics == [])
    }

    @Test func systemSamplingAndStopSequences() throws {
        var route = TestRoutes.gemini
        route.maxTokensCap = 512
        let converted = try Self.convert(
            Self.request(
                [
                    "system": [["type": "text", "text": "A", "cache_control": ["type": "ephemeral"]]],
                    "temperature": 0.5, "top_p": 0.9, "top_k": 40, "stop_sequences": ["1", "2", "3", "4", "5", "6"],
                ],
                messages: [
                    ["role": "user", "content": "Hi"], ["role": "system", "content": "B"],
                    ["role": "user", "content": [["type": "text", "text": "again"]]],
                ]),
            route: route)
        let body = converted.body
        #expect(body["systemInstruction"] == ["parts": [["text": "A\n\nB"]]])
        #expect(body["contents"] == [["role": "user", "parts": [["text": "Hi"], ["text": "again"]]]], "merged turns")
        #expect(
            body["generationConfig"]
                == [
                    "maxOutputTokens": 512, "temperature": 0.5, "topP": 0.9, "topK": 40,
                    "stopSequences": ["1", "2", "3", "4", "5"],
                ])
        let paths = converted.diagnostics.map(\.path)
        #expect(paths.contains("/max_tokens"))
        #expect(
            converted.diagnostics.contains {
                $0.path == "/stop_sequences"
                    && $0.message
                        == "Gemini takes at most 5 stop sequences; the first 5 are sent, and the proxy applies all 6 "
                        + "to the answer"
            })
        #expect(paths.contains("/system/0/cache_control"))
        #expect(paths.contains("/messages/1"))
    }

    @Test func imagesAndDocuments() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                [
                    "role": "user",
                    "content": [
                        ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBOR"]],
                        ["type": "image", "source": ["type": "url", "url": "https://x.test/cat.jpg"]],
                        [
                            "type": "document",
                            "source": ["type": "base64", "media_type": "application/pdf", "data": "JVBER"],
                        ],
                        ["type": "document", "source": ["type": "text", "media_type": "text/plain", "data": "notes"]],
                    ],
                ]
            ]))
        #expect(
            converted.body["contents"]?[0]?["parts"]
                == [
                    ["inlineData": ["mimeType": "image/png", "data": "iVBOR"]],
                    ["fileData": ["mimeType": "image/jpeg", "fileUri": "https://x.test/cat.jpg"]],
                    ["inlineData": ["mimeType": "application/pdf", "data": "JVBER"]],
                    ["text": "notes"],
                ])
    }

    @Test func toolUseAndToolResultsFindTheirNames() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                ["role": "user", "content": "List and read"],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "text", "text": "Sure."],
                        ["type": "tool_use", "id": "t1", "name": "Read", "input": ["path": "a"]],
                        ["type": "tool_use", "id": "t2", "name": "Bash", "input": ["command": "ls"]],
                    ],
                ],
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Also this"],
                        ["type": "tool_result", "tool_use_id": "t2", "content": [["type": "text", "text": "files"]]],
                        ["type": "tool_result", "tool_use_id": "t1", "content": "no such file", "is_error": true],
                        ["type": "tool_result", "tool_use_id": "t9", "content": "orphan"],
                    ],
                ],
            ]))
        let contents = try #require(converted.body["contents"]?.arrayValue)
        #expect(contents.map { $0["role"]?.stringValue ?? "" } == ["user", "model", "user"])
        #expect(
            contents[1]["parts"]
                == [
                    ["text": "Sure."],
                    [
                        "functionCall": ["name": "Read", "args": ["path": "a"]],
                        "thoughtSignature": "skip_thought_signature_validator",
                    ],
                    ["functionCall": ["name": "Bash", "args": ["command": "ls"]]],
                ])
        #expect(
            contents[2]["parts"]
                == [
                    // In the calls' order, not the results' (Gemini pairs them by position).
                    ["functionResponse": ["name": "Read", "response": ["error": "no such file"]]],
                    ["functionResponse": ["name": "Bash", "response": ["output": "files"]]],
                    ["text": "Also this"],
                    ["text": "Result of tool call t9:\norphan"],
                ])
        #expect(converted.diagnostics.contains { $0.path == "/messages/2/content/3" && $0.severity == .warning })
        #expect(converted.diagnostics.contains { $0.path == "/messages/1" && $0.severity == .info })
    }

    @Test func thinkingSignaturesGoBackToTheirParts() throws {
        let converted = try Self.convert(
            Self.request(messages: [
                ["role": "user", "content": "Q"],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "Because", "signature": "gemini:T1"],
                        ["type": "text", "text": "Answer"],
                        ["type": "thinking", "thinking": "", "signature": "gemini:T2"],
                        ["type": "thinking", "thinking": "", "signature": "gemini:T3"],
                        ["type": "text", "text": "More"],
                        ["type": "thinking", "thinking": "x", "signature": "EqQBCkgIAR..."],
                        ["type": "redacted_thinking", "data": "abc"],
                    ],
                ],
                ["role": "user", "content": "Q2"],
            ]))
        #expect(
            converted.body["contents"]?[1]?["parts"]
                == [
                    ["text": "Because", "thought": true, "thoughtSignature": "T1"],
                    ["text": "Answer", "thoughtSignature": "T2"],
                    ["text": "More", "thoughtSignature": "T3"],
                ])
        let dropped = converted.diagnostics.filter { $0.path.hasPrefix("/messages/1/content/") }.map(\.path)
        #expect(dropped == ["/messages/1/content/5", "/messages/1/content/6"])
    }

    @Test func toolsGetCleanSchemasAndToolChoice() throws {
        let schema: JSONValue = [
            "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
            "properties": [
                "path": ["type": "string", "format": "uri", "description": "where"],
                "mode": ["type": ["string", "null"], "enum": ["a", "b"]],
                "count": ["type": "integer", "exclusiveMinimum": 0, "format": "int32"],
                "kind": ["const": "fixed"],
                "level": ["type": "integer", "enum": [1, 2]],
                "node": ["$ref": "#/$defs/Node"],
                "either": ["oneOf": [["type": "string"], ["type": "number"]]],
                "maybe": ["anyOf": [["type": "string"], ["type": "null"]]],
            ],
            "required": ["path", "ghost"],
            "$defs": ["Node": ["type": "object", "properties": ["child": ["$ref": "#/$defs/Node"]]]],
        ]
        let converted = try Self.convert(
            Self.request([
                "tools": [
                    [
                        "name": "Write", "description": "Writes", "input_schema": schema,
                        "cache_control": ["type": "ephemeral"],
                    ],
                    ["name": "Now", "input_schema": ["type": "object", "properties": [:]]],
                    ["type": "web_search_20250305", "name": "web_search"],
                ],
                "tool_choice": ["type": "tool", "name": "Write", "disable_parallel_tool_use": true],
            ]))
        let declarations = try #require(converted.body["tools"]?[0]?["functionDeclarations"]?.arrayValue)
        #expect(declarations.count == 2)
        #expect(declarations[1] == ["name": "Now"], "no parameters for an object without properties")
        #expect(declarations[0]["description"] == "Writes")
        #expect(
            declarations[0]["parameters"]
                == [
                    "type": "object",
                    "properties": [
                        "path": ["type": "string", "description": "where"],
                        "mode": ["type": "string", "enum": ["a", "b"], "nullable": true],
                        "count": ["type": "integer", "format": "int32"],
                        "kind": ["enum": ["fixed"], "type": "string"],
                        "level": ["type": "integer"],
                        "node": ["type": "object", "properties": ["child": ["type": "object"]]],
                        "either": ["anyOf": [["type": "string"], ["type": "number"]]],
                        "maybe": ["nullable": true, "type": "string"],
                    ],
                    "required": ["path"],
                ])
        #expect(
            converted.body["toolConfig"]
                == ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["Write"]]])
        let diagnostics = converted.diagnostics
        let debug = Set(diagnostics.filter { $0.severity == .debug }.map(\.path))
        #expect(debug.isSuperset(of: ["/tools/0/input_schema/$schema", "/tools/0/input_schema/additionalProperties"]))
        #expect(debug.contains("/tools/0/cache_control"))
        #expect(debug.contains("/tools/0/input_schema/properties/path/format"))
        let warnings = Set(diagnostics.filter { $0.severity == .warning }.map(\.path))
        #expect(
            warnings == [
                "/tools/2", "/tools/0/input_schema/properties/level/enum",
                "/tools/0/input_schema/properties/node/properties/child/$ref",
            ])
    }

    @Test func toolChoiceVariants() throws {
        let tools: JSONValue = [
            ["name": "t", "input_schema": ["type": "object", "properties": ["a": ["type": "string"]]]]
        ]
        for (choice, mode) in [("auto", "AUTO"), ("any", "ANY"), ("none", "NONE")] {
            let converted = try Self.convert(Self.request(["tools": tools, "tool_choice": ["type": .string(choice)]]))
            #expect(converted.body["toolConfig"] == ["functionCallingConfig": ["mode": .string(mode)]])
        }
    }

    @Test func thinkingBecomesThinkingConfig() throws {
        func config(_ extra: JSONObject, route: RouteOptions = TestRoutes.gemini) throws -> JSONValue? {
            // A cap over every budget here: fitting below it is the next test's.
            var extra = extra
            extra["max_tokens"] = 64_000
            return try Self.convert(Self.request(extra), route: route).body["generationConfig"]?["thinkingConfig"]
        }
        #expect(
            try config(["thinking": ["type": "enabled", "budget_tokens": 4000]])
                == ["thinkingBudget": 4000, "includeThoughts": true])
        #expect(
            try config(["thinking": ["type": "enabled", "budget_tokens": 31999]])
                == ["thinkingBudget": 24576, "includeThoughts": true])
        #expect(try config(["thinking": ["type": "adaptive"]]) == ["thinkingBudget": -1, "includeThoughts": true])
        #expect(
            try config(["thinking": ["type": "adaptive", "display": "omitted"], "output_config": ["effort": "medium"]])
                == ["thinkingBudget": 8192, "includeThoughts": false])
        #expect(try config(["thinking": ["type": "disabled"]]) == nil)
        #expect(try config([:]) == nil)
        var route = TestRoutes.gemini
        route.reasoningEffort = "low"
        #expect(try config([:], route: route) == ["thinkingBudget": 1024])
    }

    /// A client's budget, fitted under its cap, wins over its effort, whose
    /// budget would not fit; the route's own effort still wins over both.
    @Test func aClientsBudgetWinsOverItsEffort() throws {
        let extra: JSONObject = [
            "max_tokens": 2000, "thinking": ["type": "enabled", "budget_tokens": 1999],
            "output_config": ["effort": "high"],
        ]
        func config(_ route: RouteOptions) throws -> JSONValue? {
            try Self.convert(Self.request(extra), route: route).body["generationConfig"]?["thinkingConfig"]
        }
        #expect(try config(TestRoutes.gemini) == ["thinkingBudget": 1999, "includeThoughts": true])
        var route = TestRoutes.gemini
        route.reasoningEffort = "low"
        // The route's effort was not chosen for this cap: the answer keeps half of it.
        #expect(try config(route) == ["thinkingBudget": 1000, "includeThoughts": true])
    }

    /// Gemini's maxOutputTokens caps thoughts and answer together: a budget
    /// at or over it (a route's effort, a route's cap lowering the client's)
    /// left no answer, and one fitted just below it (`maxTokens - 1`) left
    /// one token (empty answers cut at MAX_TOKENS). It is fitted so the
    /// answer keeps half the cap, up to 4 096 tokens, as every client's
    /// budget is.
    @Test func aLoweredBudgetLeavesTheAnswerItsRoom() throws {
        func generation(_ extra: JSONObject, route: RouteOptions) throws -> (JSONValue?, [String]) {
            let converted = try Self.convert(Self.request(extra), route: route)
            return (converted.body["generationConfig"], converted.diagnostics.map(\.message))
        }
        var high = TestRoutes.gemini
        high.reasoningEffort = "high"
        let (effort, notes) = try generation(["max_tokens": 8192], route: high)
        #expect(effort == ["maxOutputTokens": 8192, "thinkingConfig": ["thinkingBudget": 4096]])
        #expect(
            notes == [
                "thinkingBudget 24576 lowered to 4096: maxOutputTokens 8192 caps thoughts and answer together, and "
                    + "the answer keeps 4096 of it"
            ])
        // A route's effort under the client's cap, not over it: sent as it was, it left the answer 808 tokens.
        var medium = TestRoutes.gemini
        medium.reasoningEffort = "medium"
        let (under, _) = try generation(["max_tokens": 9000], route: medium)
        #expect(under == ["maxOutputTokens": 9000, "thinkingConfig": ["thinkingBudget": 4904]])
        let (small, smallNotes) = try generation(["max_tokens": 1000], route: high)
        #expect(small == ["maxOutputTokens": 1000])
        #expect(smallNotes == ["no thinkingBudget sent: maxOutputTokens 1000 leaves no room for one and an answer"])
    }

    /// The audit's case: a route capped at 4 000 and Claude Code's request,
    /// its effort `medium` (adaptive thinking) or its own budget of 10 000
    /// under its own 32 000, went up as `thinkingBudget: 3999`.
    @Test(
        arguments: [
            ["thinking": ["type": "adaptive"], "output_config": ["effort": "medium"]],
            ["thinking": ["type": "enabled", "budget_tokens": 10_000]],
        ] as [JSONObject])
    func aRoutesCapLeavesTheAnswerHalfOfIt(thinking: JSONObject) throws {
        var capped = TestRoutes.gemini
        capped.maxTokensCap = 4000
        var extra = thinking
        extra["max_tokens"] = 32_000
        let converted = try Self.convert(Self.request(extra), route: capped)
        #expect(
            converted.body["generationConfig"] == [
                "maxOutputTokens": 4000, "thinkingConfig": ["thinkingBudget": 2000, "includeThoughts": true],
            ])
        let budget = thinking["output_config"] == nil ? 10_000 : 8_192
        #expect(
            converted.diagnostics.map(\.message) == [
                "max_tokens 32000 capped to the route's 4000",
                "thinkingBudget \(budget) lowered to 2000: maxOutputTokens 4000 caps thoughts and answer together, "
                    + "and the answer keeps 2000 of it",
            ])
    }

    /// A client's own budget under its own cap is its choice, kept as
    /// Anthropic would take it; lowered by a route's cap, it is fitted.
    @Test func aClientsOwnBudgetUnderItsOwnCapIsKept() throws {
        let extra: JSONObject = ["max_tokens": 4000, "thinking": ["type": "enabled", "budget_tokens": 3000]]
        let own = try Self.convert(Self.request(extra), route: TestRoutes.gemini)
        #expect(own.body["generationConfig"]?["thinkingConfig"] == ["thinkingBudget": 3000, "includeThoughts": true])
        var capped = TestRoutes.gemini
        capped.maxTokensCap = 3500
        let lowered = try Self.convert(Self.request(extra), route: capped)
        #expect(
            lowered.body["generationConfig"]?["thinkingConfig"] == ["thinkingBudget": 1750, "includeThoughts": true])
    }

    @Test func extraBodyIsMergedLast() throws {
        var route = TestRoutes.gemini
        route.extraBody = ["generationConfig": ["maxOutputTokens": 99], "safetySettings": []]
        let body = try Self.convert(Self.request(), route: route).body
        #expect(body["generationConfig"] == ["maxOutputTokens": 99])
        #expect(body["safetySettings"] == [])
    }
}
