import Convert
import TestSupport
import Testing
import Wire

/// Claude Code's real requests, to a Gemini upstream.
@Suite struct GeminiClaudeCodeRequestTests {
    @Test func everyRequestConverts() throws {
        for request in try ClaudeCodeRequestTests.requests() {
            let converted = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.gemini)
            let body = converted.body
            let system = try #require(body["systemInstruction"]?["parts"]?[0]?["text"]?.stringValue)
            #expect(system.hasPrefix("x-anthropic-billing-header"))
            #expect(system.contains("# Environment"))
            let names = request["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            let declarations = try #require(body["tools"]?[0]?["functionDeclarations"]?.arrayValue)
            #expect(declarations.compactMap { $0["name"]?.stringValue } == names)
            for declaration in declarations {
                let text = declaration.serializedString()
                for rejected in ["\"$schema\"", "\"additionalProperties\"", "\"$ref\"", "\"const\"", "\"oneOf\""] {
                    #expect(!text.contains(rejected), "\(declaration["name"]?.stringValue ?? "") still has \(rejected)")
                }
            }
            #expect(body["generationConfig"]?["maxOutputTokens"] == 128000)
            #expect(body["generationConfig"]?["thinkingConfig"] == ["thinkingBudget": 8192, "includeThoughts": false])
            #expect(body["contents"]?[0]?["role"] == "user")
            #expect(converted.diagnostics.contains { $0.path == "/context_management" && $0.severity == .debug })
            let warnings = converted.diagnostics.filter { $0.severity == .warning }
            #expect(warnings.isEmpty, "\(warnings)")
        }
    }

    @Test func toolResultTurnAnswersTheWriteCall() throws {
        let request = try ClaudeCodeRequestTests.requests()[1]
        let converted = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.gemini)
        let contents = try #require(converted.body["contents"]?.arrayValue)
        #expect(contents.map { $0["role"]?.stringValue ?? "" } == ["user", "model", "user"])
        let call = try #require(contents[1]["parts"]?[1])
        #expect(call["functionCall"]?["name"] == "Write")
        #expect(
            call["functionCall"]?["args"] == ["file_path": "/home/dev/project/hello.txt", "content": "hello world\n"])
        #expect(call["thoughtSignature"] == "skip_thought_signature_validator", "toolu_01 came from another model")
        let response = try #require(contents[2]["parts"]?[0]?["functionResponse"])
        #expect(response["name"] == "Write")
        #expect(response["response"]?["output"]?.stringValue?.hasPrefix("File created successfully") == true)
    }

    /// A Gemini tool call streamed to Claude Code, then Claude Code's next
    /// request with that call and its result: the signature goes back.
    @Test func streamedCallSignatureSurvivesTheNextTurn() throws {
        let path = try Fixtures.path("providers/gemini/google-tool-call.chunks.txt")
        let streamed = AssembledMessage(
            convertStream(try Fixtures.sseBytes(chunksFile: path), route: TestRoutes.gemini))
        let id = try #require(streamed.blocks[0].id)
        let first = try JSONValue(parsing: try Fixtures.chunkPayloads(atPath: path)[0])
        let signature = first["candidates"]?[0]?["content"]?["parts"]?[0]?["thoughtSignature"]

        var request = try ClaudeCodeRequestTests.requests()[1]
        guard case .array(var messages)? = request["messages"] else { throw Unexpected() }
        messages[messages.count - 2]["content"] = [
            ["type": "tool_use", "id": .string(id), "name": "Write", "input": ["file_path": "/tmp/a", "content": "b"]]
        ]
        messages[messages.count - 1]["content"] = [
            ["type": "tool_result", "tool_use_id": .string(id), "content": "ok"]
        ]
        request["messages"] = .array(messages)

        let converted = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.gemini)
        let contents = try #require(converted.body["contents"]?.arrayValue)
        #expect(contents[1]["parts"]?[0]?["thoughtSignature"] == signature)
        #expect(contents[2]["parts"]?[0] == ["functionResponse": ["name": "Write", "response": ["output": "ok"]]])
        #expect(!converted.diagnostics.contains { $0.message.contains("placeholder") })
    }

    struct Unexpected: Error {}
}
