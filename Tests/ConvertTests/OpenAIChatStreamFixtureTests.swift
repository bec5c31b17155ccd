import Convert
import Foundation
import SSE
import TestSupport
import Testing
import Wire

/// Every recorded OpenAI-compatible stream, through the converter the proxy uses.
@Suite struct OpenAIChatStreamFixtureTests {
    static let chunkFiles: [String] = Fixtures.argumentFiles(in: "providers/openai-chat", suffix: ".chunks.txt")

    static func events(_ name: String, sliceSize: Int? = nil) throws -> [SSEEvent] {
        let bytes = try Fixtures.sseBytes(chunksFile: try Fixtures.path("providers/openai-chat/\(name).chunks.txt"))
        return convertStream(bytes, sliceSize: sliceSize)
    }

    @Test func fixturesAreFound() throws {
        try Fixtures.requireFound(Self.chunkFiles, in: "providers/openai-chat", suffix: ".chunks.txt", atLeast: 8)
        #expect(Self.chunkFiles.count >= 8, "found \(Self.chunkFiles)")
    }

    @Test(.cpuBound, arguments: chunkFiles)
    func everyStreamIsValidWholeAndInSlices(path: String) async throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        let whole = convertStream(bytes)
        #expect(violations(whole) == [], "\(path)")
        #expect(whole.last?.event == "message_stop")
        #expect(whole.dropFirst().first?.event == "ping")
        for size in [1, 3, 7, 64] {
            let sliced = convertStream(bytes, sliceSize: size)
            #expect(sliced == whole, "\(path) in slices of \(size)")
        }
        // The bytes the client gets parse back to the same events.
        var parser = SSEParser()
        let wire = whole.flatMap { $0.encoded() }
        #expect(parser.parse(wire) + parser.finish() == whole)
    }

    @Test func deepseekToolCallYieldsAWeatherToolUse() throws {
        let message = AssembledMessage(try Self.events("deepseek-tool-call"))
        #expect(message.blocks.map(\.type) == ["thinking", "tool_use"])
        #expect(message.blocks[0].text.hasPrefix("The user"))
        #expect(message.blocks[1].name == "weather")
        #expect(message.blocks[1].id == "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF")
        #expect(message.input(ofBlock: 1) == ["location": "San Francisco"])
        #expect(message.stopReason == "tool_use")
        #expect(
            message.usage
                == [
                    "input_tokens": 19, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 320,
                    "output_tokens": 83,
                ])
    }

    @Test func deepseekReasoningYieldsThinkingThenText() throws {
        let message = AssembledMessage(try Self.events("deepseek-reasoning"))
        #expect(message.blocks.map(\.type) == ["thinking", "text"])
        #expect(message.blocks[0].text.hasPrefix("We"))
        #expect(message.blocks[0].signature == nil)
        #expect(message.blocks[1].text.hasSuffix("."))
        #expect(message.stopReason == "end_turn")
        #expect(message.usage?["output_tokens"] == 219)
        #expect(message.usage?["input_tokens"] == 18)
    }

    @Test func deepseekTextStopsAtMaxTokens() throws {
        let message = AssembledMessage(try Self.events("deepseek-text"))
        #expect(message.blocks.map(\.type) == ["text"])
        #expect(message.stopReason == "max_tokens")
        #expect(message.usage?["output_tokens"] == 400)
    }

    @Test func openAITextTakesUsageFromTheChunkAfterFinishReason() throws {
        let events = try Self.events("openai-text")
        let message = AssembledMessage(events)
        #expect(message.blocks.count == 1)
        #expect(message.blocks[0].text.hasPrefix("**"))
        #expect(message.stopReason == "end_turn")
        #expect(message.usage?["input_tokens"] == 16)
        #expect(message.usage?["output_tokens"] == 300)
        let start = try JSONValue(parsing: events[0].data)
        #expect(start["message"]?["id"] == "msg_chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0")
        #expect(start["message"]?["model"] == "claude-test")
    }

    @Test func azureFilterChunkBeforeTheMessageIsSkipped() throws {
        let events = try Self.events("azure-model-router.1")
        let message = AssembledMessage(events)
        #expect(message.blocks.map(\.text) == ["Capital of Denmark."])
        #expect(
            try JSONValue(parsing: events[0].data)["message"]?["id"] == "msg_chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt")
        #expect(message.usage?["output_tokens"] == 78)
    }

    @Test func groqWholeToolCall() throws {
        let message = AssembledMessage(try Self.events("groq-tool-call"))
        #expect(message.blocks.map(\.name) == ["weather"])
        #expect(message.input(ofBlock: 0) == [:])
        #expect(message.usage?["input_tokens"] == 210)
    }

    @Test func mistralToolCalls() throws {
        let whole = AssembledMessage(try Self.events("mistral-tool-call"))
        #expect(whole.blocks.map(\.id) == ["gSIMJiOkT"])
        #expect(whole.input(ofBlock: 0) == ["location": "San Francisco"])
        let incremental = AssembledMessage(try Self.events("mistral-incremental-tool-call"))
        #expect(incremental.blocks.map(\.name) == ["webSearchTool"], "a later empty name does not replace it")
        #expect(incremental.input(ofBlock: 0) == ["query": "current Berlin weather"])
        #expect(incremental.usage?["cache_read_input_tokens"] == 128)
        #expect(incremental.usage?["input_tokens"] == 43)
    }

    @Test func streamWithoutDoneOrFinishReasonIsAnError() throws {
        let path = try Fixtures.path("providers/openai-chat/openai-text.chunks.txt")
        let payloads = try Fixtures.chunkPayloads(atPath: path)
        let cut = Fixtures.sseBytes(payloads: Array(payloads.prefix(40)), framing: .dataOnly)
        let events = convertStream(cut)
        #expect(violations(events) == [])
        #expect(events.last?.event == "error")
        #expect(!events.contains { $0.event == "message_stop" })
    }
}
