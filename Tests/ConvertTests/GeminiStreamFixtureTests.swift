import Convert
import SSE
import TestSupport
import Testing
import Wire

/// Every recorded Gemini stream, through the converter the proxy uses.
@Suite struct GeminiStreamFixtureTests {
    static let chunkFiles: [String] = Fixtures.argumentFiles(in: "providers/gemini", suffix: ".chunks.txt")

    static func events(_ name: String, sliceSize: Int? = nil) throws -> [SSEEvent] {
        let bytes = try Fixtures.sseBytes(chunksFile: try Fixtures.path("providers/gemini/\(name).chunks.txt"))
        return convertStream(bytes, route: TestRoutes.gemini, sliceSize: sliceSize)
    }

    static func lastChunk(_ name: String) throws -> JSONValue {
        let payloads = try Fixtures.chunkPayloads(atPath: try Fixtures.path("providers/gemini/\(name).chunks.txt"))
        return try JSONValue(parsing: try #require(payloads.last))
    }

    @Test func fixturesAreFound() throws {
        try Fixtures.requireFound(Self.chunkFiles, in: "providers/gemini", suffix: ".chunks.txt", atLeast: 4)
        #expect(Self.chunkFiles.count == 4, "found \(Self.chunkFiles)")
    }

    @Test(.cpuBound, arguments: chunkFiles)
    func everyStreamIsValidWholeAndInSlices(path: String) async throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        let whole = convertStream(bytes, route: TestRoutes.gemini)
        #expect(violations(whole) == [], "\(path)")
        #expect(whole.last?.event == "message_stop")
        #expect(whole.dropFirst().first?.event == "ping")
        for size in [1, 5, 64] {
            #expect(
                convertStream(bytes, route: TestRoutes.gemini, sliceSize: size) == whole, "\(path) in slices of \(size)"
            )
        }
    }

    /// The signature in the last, empty part is dropped: after the text it
    /// would be the block Claude Code takes as the answer (GeminiAnswerShapeTests).
    @Test func textStreamsIntoOneTextBlock() throws {
        let events = try Self.events("google-text")
        let message = AssembledMessage(events)
        #expect(message.blocks.map(\.type) == ["text"])
        #expect(message.blocks.first?.text == "There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y")
        let signature = try Self.lastChunk("google-text")["candidates"]?[0]?["content"]?["parts"]?[0]?[
            "thoughtSignature"]
        #expect(signature != nil, "the fixture ends with a signature")
        #expect(message.stopReason == "end_turn")
        #expect(
            message.usage
                == [
                    "input_tokens": 9, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                    "output_tokens": 208,
                ])
        let start = try JSONValue(parsing: events[0].data)
        #expect(start["message"]?["id"] == "msg_bH6LaZW8Fp_3nsEPqtaSwQ4")
        #expect(start["message"]?["usage"]?["input_tokens"] == 9)
    }

    @Test func reasoningEndsWithItsText() throws {
        let message = AssembledMessage(try Self.events("google-reasoning"))
        #expect(message.blocks.map(\.type) == ["text"])
        #expect(message.blocks.first?.text.hasSuffix("st**r**awbe**rr**y.") == true)
        #expect(message.usage?["output_tokens"]?.intValue == 29 + 256)
    }

    @Test func wholeFunctionCallIsOneToolUseWithItsSignatureInTheID() throws {
        let message = AssembledMessage(try Self.events("google-tool-call"))
        #expect(message.blocks.map(\.type) == ["tool_use"], "the empty final text part opens nothing")
        #expect(message.blocks[0].name == "weather")
        #expect(message.input(ofBlock: 0) == ["location": "San Francisco"])
        #expect(message.stopReason == "tool_use", "STOP after a function call")
        #expect(message.usage?["input_tokens"] == 29)
        #expect(message.usage?["output_tokens"] == 60)
        let id = try #require(message.blocks[0].id)
        #expect(id.hasPrefix("toolu_"))
        #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        let first = try JSONValue(
            parsing: try Fixtures.chunkPayloads(
                atPath: try Fixtures.path("providers/gemini/google-tool-call.chunks.txt"))[0])
        let signature = first["candidates"]?[0]?["content"]?["parts"]?[0]?["thoughtSignature"]?.stringValue
        #expect(signature != nil)
        #expect(Self.signatureSentBack(forToolUseID: id) == signature)
    }

    @Test func streamedArgumentsAreAssembledIntoTwoCalls() throws {
        let events = try Self.events("google-stream-tool-call-arguments")
        let message = AssembledMessage(events)
        #expect(message.blocks.map(\.name) == ["getWeather", "getWeather"])
        #expect(message.input(ofBlock: 0) == ["location": "Boston"])
        #expect(message.input(ofBlock: 1) == ["location": "San Francisco"])
        #expect(message.blocks[0].id != message.blocks[1].id)
        #expect(message.blocks[0].id?.contains("_gsig_") == true, "the first call carries the signature")
        #expect(message.blocks[1].id?.contains("_gsig_") == false)
        #expect(message.stopReason == "tool_use")
        #expect(message.usage?["input_tokens"] == 26)
        #expect(message.usage?["output_tokens"]?.intValue == 23 + 132)
        #expect(try JSONValue(parsing: events[0].data)["message"]?["id"] == "msg_dqHOab6xGLzWodAPkPuViA4")
    }

    @Test func streamCutBeforeTheFinishReasonIsAnError() throws {
        let path = try Fixtures.path("providers/gemini/google-text.chunks.txt")
        let payloads = try Fixtures.chunkPayloads(atPath: path)
        let events = convertStream(
            Fixtures.sseBytes(payloads: Array(payloads.prefix(2)), framing: .dataOnly), route: TestRoutes.gemini)
        #expect(violations(events) == [])
        #expect(events.last?.event == "error")
        #expect(AssembledMessage(events).blocks.first?.text.hasPrefix("There are") == true)
    }

    /// The signature the next request sends back for a call with this id.
    static func signatureSentBack(forToolUseID id: String) -> String? {
        let request: JSONValue = [
            "model": "claude-test", "max_tokens": 100,
            "messages": [
                ["role": "user", "content": "weather?"],
                [
                    "role": "assistant",
                    "content": [["type": "tool_use", "id": .string(id), "name": "weather", "input": [:]]],
                ],
                [
                    "role": "user",
                    "content": [["type": "tool_result", "tool_use_id": .string(id), "content": "sunny"]],
                ],
            ],
        ]
        let body = try? RequestConverter.convert(anthropicRequest: request, route: TestRoutes.gemini).body
        return body?["contents"]?[1]?["parts"]?[0]?["thoughtSignature"]?.stringValue
    }
}
