import Convert
import SSE
import TestSupport
import Testing
import Wire

/// Every recorded OpenAI Responses stream, through the converter the proxy uses.
@Suite struct OpenAIResponsesStreamFixtureTests {
    static let chunkFiles: [String] =
        Fixtures.argumentFiles(in: "providers/openai-responses", suffix: ".chunks.txt")

    /// The responses in a chunks file: `openai-reasoning-encrypted-content.1`
    /// holds an agent loop, four responses one after another, each of which
    /// is its own upstream stream.
    static func responses(_ path: String) throws -> [[String]] {
        var responses: [[String]] = []
        for payload in try Fixtures.chunkPayloads(atPath: path) {
            if payload.hasPrefix(#"{"type":"response.created""#) || responses.isEmpty {
                responses.append([])
            }
            responses[responses.count - 1].append(payload)
        }
        return responses
    }

    static func streams(_ name: String) throws -> [[SSEEvent]] {
        try responses(try Fixtures.path("providers/openai-responses/\(name).chunks.txt")).map { payloads in
            convertStream(Fixtures.sseBytes(payloads: payloads, framing: .namedByType), route: TestRoutes.responses)
        }
    }

    @Test func fixturesAreFound() throws {
        try Fixtures.requireFound(Self.chunkFiles, in: "providers/openai-responses", suffix: ".chunks.txt", atLeast: 3)
        #expect(Self.chunkFiles.count == 3, "found \(Self.chunkFiles)")
    }

    @Test(.cpuBound, arguments: chunkFiles)
    func everyStreamIsValidWholeAndInSlices(path: String) async throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        let whole = convertStream(bytes, route: TestRoutes.responses)
        #expect(violations(whole) == [], "\(path)")
        for size in [1, 7, 64] {
            #expect(convertStream(bytes, route: TestRoutes.responses, sliceSize: size) == whole, "\(path) in \(size)s")
        }
        for payloads in try Self.responses(path) {
            let events = convertStream(
                Fixtures.sseBytes(payloads: payloads, framing: .namedByType), route: TestRoutes.responses)
            #expect(violations(events) == [], "\(path)")
            #expect(events.dropFirst().first?.event == "ping")
        }
    }

    @Test func inStreamErrorBecomesAnAnthropicErrorEvent() throws {
        let events = try #require(try Self.streams("openai-error.1").first)
        #expect(events.map(\.event) == ["message_start", "ping", "error"])
        let error = try #require(AssembledMessage(events).error)
        #expect(error["type"] == "rate_limit_error", "insufficient_quota is OpenAI's 429")
        #expect(error["message"]?.stringValue?.contains("You exceeded your current quota") == true)
        #expect(
            try JSONValue(parsing: events[0].data)["message"]?["id"]
                == "msg_resp_05500b38c2cd9bfc00691c7c9d222481a3b595421266dab424")
    }

    @Test func reasoningWithEncryptedContentThenToolCall() throws {
        let path = try Fixtures.path("providers/openai-responses/openai-reasoning-encrypted-content.1.chunks.txt")
        let streams = try Self.streams("openai-reasoning-encrypted-content.1")
        #expect(streams.count == 4)
        let first = AssembledMessage(streams[0])
        #expect(first.blocks.map(\.type) == ["thinking", "tool_use"])
        #expect(
            first.blocks[0].text
                == "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product."
        )
        let reasoningDone = try Fixtures.chunkPayloads(atPath: path).map { try JSONValue(parsing: $0) }.first {
            $0["type"] == "response.output_item.done" && $0["item"]?["type"] == "reasoning"
        }
        let encrypted = try #require(reasoningDone?["item"]?["encrypted_content"]?.stringValue)
        #expect(first.blocks[0].signature == "openai-reasoning:" + encrypted, "the final encrypted content, from done")
        #expect(first.blocks[1].id == "call_AB6AaRZ1FYZB2RwS6A5vbdqn")
        #expect(first.blocks[1].name == "calculator")
        #expect(first.input(ofBlock: 1) == ["a": 12, "b": 7, "op": "add"])
        #expect(first.stopReason == "tool_use")
        #expect(
            first.usage
                == [
                    "input_tokens": 134, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                    "output_tokens": 28,
                ])

        let second = AssembledMessage(streams[1])
        #expect(second.input(ofBlock: 0) == ["a": 19, "b": 3, "op": "multiply"])
        let last = AssembledMessage(streams[3])
        #expect(last.blocks.map(\.type) == ["text"])
        #expect(last.blocks[0].text == "The final result is **570**.")
        #expect(last.stopReason == "end_turn")
        #expect(last.usage?["input_tokens"] == 299)
        #expect(last.usage?["output_tokens"] == 12)

        let whole = AssembledMessage(
            convertStream(try Fixtures.sseBytes(chunksFile: path), route: TestRoutes.responses))
        #expect(whole.blocks == first.blocks, "the converter stops at the first response.completed")
    }

    @Test func parallelWrapperBecomesSeveralToolUses() throws {
        let events = try #require(try Self.streams("parallel-tool-call-wrapper.1").first)
        let message = AssembledMessage(events)
        #expect(message.blocks.map(\.type) == ["tool_use", "tool_use"])
        #expect(message.blocks.map(\.name) == ["weather", "cityAttractions"])
        #expect(message.blocks.map(\.id) == ["call_parallel_0", "call_parallel_1"])
        #expect(message.input(ofBlock: 0) == ["location": "San Francisco"])
        #expect(message.input(ofBlock: 1) == ["city": "Rome"])
        #expect(message.stopReason == "tool_use")
        #expect(message.usage?["input_tokens"] == 34)
        #expect(message.usage?["output_tokens"] == 28)
    }
}
