import Convert
import Foundation
import SSE
import TestSupport
import Testing
import Wire

/// Every recorded provider stream, encoded for an OpenAI Chat client.
@Suite struct OpenAIChatClientStreamTests {
    static let chunkFiles = ProviderStreams.chunkFiles

    /// Upstream bytes through the proxy's converter with the OpenAI Chat encoder.
    static func openAIFrames(
        _ bytes: [UInt8], route: RouteOptions, includeUsage: Bool = true, sliceSize: Int? = nil
    ) -> [SSEEvent] {
        convertStream(
            bytes, route: route, sliceSize: sliceSize, requestedModel: "gpt-test",
            encoder: OpenAIChatStreamEncoder(
                requestedModel: "gpt-test", includeUsage: includeUsage, created: 1_700_000_000))
    }

    /// What an OpenAI client rebuilds from the frames.
    struct Assembled: Equatable {
        var content = ""
        var reasoning = ""
        var toolNames: [String] = []
        var toolArguments: [String] = []
        var error: JSONValue?

        init(_ frames: [SSEEvent]) {
            for frame in frames {
                guard let payload = try? JSONValue(parsing: frame.data) else { continue }
                if let error = payload["error"] { self.error = error }
                let delta = payload["choices"]?[0]?["delta"]
                content += delta?["content"]?.stringValue ?? ""
                reasoning += delta?["reasoning_content"]?.stringValue ?? ""
                for call in delta?["tool_calls"]?.arrayValue ?? [] {
                    guard let index = call["index"]?.intValue else { continue }
                    if index == toolNames.count {
                        toolNames.append(call["function"]?["name"]?.stringValue ?? "")
                        toolArguments.append("")
                    }
                    toolArguments[index] += call["function"]?["arguments"]?.stringValue ?? ""
                }
            }
        }
    }

    @Test func fixturesAreFound() throws {
        try ProviderStreams.requireFound()
        #expect(Self.chunkFiles.count >= 20, "found \(Self.chunkFiles)")
    }

    @Test(arguments: chunkFiles)
    func everyStreamIsValidAndHoldsWhatTheAnthropicStreamHolds(path: String) throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        let route = ProviderStreams.route(forFile: path)
        let whole = Self.openAIFrames(bytes, route: route)
        #expect(OpenAIChatStreamChecker.violations(in: whole, expectUsage: true) == [], "\(path)")
        #expect(Self.openAIFrames(bytes, route: route, sliceSize: 7) == whole, "\(path) in slices of 7")
        let withoutUsage = Self.openAIFrames(bytes, route: route, includeUsage: false)
        #expect(OpenAIChatStreamChecker.violations(in: withoutUsage, expectUsage: false) == [], "\(path)")

        let anthropic = AssembledMessage(convertStream(bytes, route: route))
        let assembled = Assembled(whole)
        let blocks = anthropic.blocks
        #expect(assembled.content == blocks.filter { $0.type == "text" }.map(\.text).joined(), "\(path)")
        #expect(assembled.reasoning == blocks.filter { $0.type == "thinking" }.map(\.text).joined(), "\(path)")
        let tools = blocks.filter { $0.type == "tool_use" }
        #expect(assembled.toolNames == tools.map { $0.name ?? "" }, "\(path)")
        #expect(
            // A call without arguments is "{}" to a client, as OpenAI sends it, never "".
            assembled.toolArguments.map { try? JSONValue(parsing: $0) }
                == tools.map { $0.text.isEmpty ? [:] : try? JSONValue(parsing: $0.text) }, "\(path)")
        #expect((anthropic.error != nil) == path.hasSuffix("openai-error.1.chunks.txt"), "\(path)")
        if let error = anthropic.error {
            #expect(whole.last?.data != "[DONE]")
            #expect(assembled.error?["message"] == error["message"], "\(path)")
            #expect(assembled.error?["type"] == error["type"], "\(path)")
        } else {
            #expect(whole.last?.data == "[DONE]")
        }
    }

    @Test func everyChunkCarriesTheSameHead() throws {
        let path = try Fixtures.path("providers/openai-chat/openai-text.chunks.txt")
        let frames = Self.openAIFrames(try Fixtures.sseBytes(chunksFile: path), route: TestRoutes.openAI)
        let chunks = frames.dropLast().compactMap { try? JSONValue(parsing: $0.data) }
        #expect(chunks.count == frames.count - 1)
        for chunk in chunks {
            #expect(chunk["id"] == "chatcmpl-msg_chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0")
            #expect(chunk["object"] == "chat.completion.chunk")
            #expect(chunk["created"] == 1_700_000_000)
            #expect(chunk["model"] == "gpt-test")
        }
        #expect(chunks[0]["choices"]?[0]?["delta"] == ["role": "assistant", "content": ""])
        let usage = chunks.last?["usage"]
        #expect(usage?["prompt_tokens"] == 16)
        #expect(usage?["completion_tokens"] == 300)
    }

    @Test func fragmentedToolArgumentsAreReassembledExactly() {
        let fragments = ["{\"ci", "ty\": \"Os", "lo\", \"days\"", ": [1, ", "2]}"]
        var encoder = OpenAIChatStreamEncoder(requestedModel: "gpt-test", includeUsage: false, created: 1_700_000_000)
        var frames: [SSEEvent] = []
        let events: [AnthropicStreamEvent] =
            [
                .messageStart(.init(id: "msg_9", model: "m", usage: ["input_tokens": 1])),
                .contentBlockStart(index: 0, block: .text("")),
                .contentBlockDelta(index: 0, delta: .text("Let me look.")),
                .contentBlockStop(index: 0),
                .contentBlockStart(index: 1, block: .toolUse(id: "t1", name: "weather", input: [:])),
            ] + fragments.map { .contentBlockDelta(index: 1, delta: .inputJSON($0)) } + [
                .contentBlockStop(index: 1),
                .contentBlockStart(index: 2, block: .toolUse(id: "t2", name: "time", input: [:])),
                .contentBlockDelta(index: 2, delta: .inputJSON("{}")), .contentBlockStop(index: 2),
                .messageDelta(.init(stopReason: "tool_use", stopSequence: nil, usage: ["output_tokens": 9])),
                .messageStop,
            ]
        for event in events { encoder.encode(event, into: &frames) }
        #expect(OpenAIChatStreamChecker.violations(in: frames, expectUsage: false) == [])
        let assembled = Assembled(frames)
        #expect(assembled.content == "Let me look.")
        #expect(assembled.toolNames == ["weather", "time"])
        #expect(assembled.toolArguments == [fragments.joined(), "{}"])
        let finish = frames.compactMap { try? JSONValue(parsing: $0.data) }.compactMap {
            $0["choices"]?[0]?["finish_reason"]?.stringValue
        }
        #expect(finish == ["tool_calls"])
        #expect(frames.last?.data == "[DONE]")
    }

    /// Anthropic's `message_delta` may say `"input_tokens": null` (not
    /// said again); the counts of `message_start` stand, as in the other
    /// clients' encoders.
    @Test func nullCountsInTheFinalUsageKeepTheEarlierOnes() throws {
        var encoder = OpenAIChatStreamEncoder(requestedModel: "gpt-test", includeUsage: true, created: 1_700_000_000)
        var frames: [SSEEvent] = []
        let events: [AnthropicStreamEvent] = [
            .messageStart(.init(id: "msg_n", model: "m", usage: ["input_tokens": 100, "cache_read_input_tokens": 50])),
            .messageDelta(
                .init(
                    stopReason: "end_turn", stopSequence: nil,
                    usage: ["input_tokens": nil, "cache_read_input_tokens": nil, "output_tokens": 20])),
            .messageStop,
        ]
        for event in events { encoder.encode(event, into: &frames) }
        let usage = try #require(frames.compactMap { try? JSONValue(parsing: $0.data) }.last?["usage"])
        #expect(usage["prompt_tokens"] == 150)
        #expect(usage["completion_tokens"] == 20)
        #expect(usage["total_tokens"] == 170)
        #expect(usage["prompt_tokens_details"]?["cached_tokens"] == 50)
    }

    @Test func aStreamEndingInAnErrorEndsWithTheOpenAIErrorFrame() throws {
        let path = try Fixtures.path("providers/openai-chat/openai-text.chunks.txt")
        let payloads = try Fixtures.chunkPayloads(atPath: path)
        let cut = Fixtures.sseBytes(payloads: Array(payloads.prefix(40)), framing: .dataOnly)
        let frames = Self.openAIFrames(cut, route: TestRoutes.openAI)
        #expect(OpenAIChatStreamChecker.violations(in: frames, expectUsage: true) == [])
        let last = try JSONValue(parsing: frames.last?.data ?? "")
        #expect(last["error"]?["type"]?.stringValue != nil)
        #expect(last["error"]?["code"] == "server_error")
        #expect(last["error"]?.objectValue?.keys.contains("param") == true)
        #expect(!frames.contains { $0.data == "[DONE]" })
    }
}
