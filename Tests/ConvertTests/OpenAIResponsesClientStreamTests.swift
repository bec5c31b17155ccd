import Convert
import Foundation
import SSE
import TestSupport
import Testing
import Wire

/// Every recorded provider stream, converted for a Responses client.
@Suite struct OpenAIResponsesClientStreamTests {
    static let chunkFiles = ProviderStreams.chunkFiles

    @Test func fixturesAreFound() throws {
        try ProviderStreams.requireFound()
        #expect(Self.chunkFiles.count >= 20, "found \(Self.chunkFiles)")
    }

    @Test(arguments: chunkFiles)
    func everyFixtureIsAValidResponsesStream(path: String) throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        let route = ProviderStreams.route(forFile: path)
        let whole = convertStreamForResponsesClient(bytes, route: route)
        #expect(OpenAIResponsesStreamChecker.violations(in: whole) == [], "\(path)")
        #expect(convertStreamForResponsesClient(bytes, route: route, sliceSize: 7) == whole, "\(path) in 7s")

        // The same stream for an Anthropic client: the same text, reasoning and calls.
        let anthropic = AssembledMessage(convertStream(bytes, route: route))
        let responses = AssembledResponse(whole)
        let blocks = anthropic.blocks
        #expect(responses.texts(of: "message") == blocks.filter { $0.type == "text" }.map(\.text), "\(path)")
        #expect(
            responses.items.filter { $0.type == "function_call" }.map(\.name)
                == blocks.filter { $0.type == "tool_use" }.map(\.name), "\(path)")
        let arguments = responses.texts(of: "function_call").map { try? JSONValue(parsing: $0) }
        let inputs = blocks.indices.filter { blocks[$0].type == "tool_use" }.map { anthropic.input(ofBlock: $0) }
        #expect(arguments == inputs, "\(path)")
        #expect(
            responses.texts(of: "reasoning").filter { !$0.isEmpty }
                == blocks.filter { $0.type == "thinking" }.map(\.text).filter { !$0.isEmpty }, "\(path)")
        if anthropic.error != nil {
            #expect(responses.types.suffix(2) == ["error", "response.failed"], "\(path)")
        } else {
            let expected =
                ["max_tokens", "refusal"].contains(anthropic.stopReason) ? "response.incomplete" : "response.completed"
            #expect(responses.types.last == expected, "\(path)")
        }
    }

    /// A refusal is `incomplete` with OpenAI's content-filter reason: it
    /// was a `completed` response with nothing in it.
    @Test func aRefusalEndsIncompleteForTheContentFilter() throws {
        let stream = [
            #"event: message_start"# + "\n"
                + #"data: {"type":"message_start","message":{"id":"msg_r","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"usage":{"input_tokens":9,"output_tokens":0}}}"#,
            #"event: message_delta"# + "\n"
                + #"data: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null},"usage":{"output_tokens":3}}"#,
            #"event: message_stop"# + "\n" + #"data: {"type":"message_stop"}"#,
        ].map { $0 + "\n\n" }.joined()
        let events = convertStreamForResponsesClient(Array(stream.utf8), route: TestRoutes.anthropic)
        #expect(events.last?.event == "response.incomplete", "\(events.map(\.event))")
        #expect(OpenAIResponsesStreamChecker.violations(in: events) == [])
        let terminal = try #require(AssembledResponse(events).terminal)
        #expect(terminal["status"] == "incomplete")
        #expect(terminal["incomplete_details"] == ["reason": "content_filter"])
    }

    @Test func upstreamErrorEndsWithErrorThenFailed() throws {
        let bytes = try Fixtures.sseBytes(
            chunksFile: try Fixtures.path("providers/openai-responses/openai-error.1.chunks.txt"))
        let events = convertStreamForResponsesClient(bytes, route: TestRoutes.responses)
        #expect(events.map(\.event) == ["response.created", "response.in_progress", "error", "response.failed"])
        #expect(OpenAIResponsesStreamChecker.violations(in: events) == [])
        let assembled = AssembledResponse(events)
        #expect(assembled.error?["code"] == "rate_limit_exceeded")
        #expect(assembled.error?["param"] == .null)
        #expect(assembled.error?["message"]?.stringValue?.contains("You exceeded your current quota") == true)
        #expect(assembled.terminal?["status"] == "failed")
        #expect(assembled.terminal?["error"]?["code"] == "rate_limit_exceeded")
    }

    @Test func connectionLostMidStreamEndsWithErrorThenFailed() throws {
        let bytes = try Fixtures.sseBytes(
            chunksFile: try Fixtures.path("providers/anthropic/anthropic-text.chunks.txt"))
        let events = convertStreamForResponsesClient(
            Array(bytes.prefix(bytes.count / 2)), route: TestRoutes.anthropic,
            error: APIError(status: 529, type: "overloaded_error", message: "Overloaded"))
        #expect(events.suffix(2).map(\.event) == ["error", "response.failed"])
        #expect(OpenAIResponsesStreamChecker.violations(in: events) == [])
        #expect(AssembledResponse(events).error?["code"] == "server_error")
    }

    @Test func reasoningFixtureKeepsEncryptedContent() throws {
        let path = try Fixtures.path("providers/openai-responses/openai-reasoning-encrypted-content.1.chunks.txt")
        let events = convertStreamForResponsesClient(
            try Fixtures.sseBytes(chunksFile: path), route: TestRoutes.responses)
        let upstreamDone = try Fixtures.chunkPayloads(atPath: path).map { try JSONValue(parsing: $0) }.first {
            $0["type"] == "response.output_item.done" && $0["item"]?["type"] == "reasoning"
        }
        let output = try #require(AssembledResponse(events).terminal?["output"]?.arrayValue)
        #expect(output.map { $0["type"] } == ["reasoning", "function_call"])
        #expect(output[0]["encrypted_content"] == upstreamDone?["item"]?["encrypted_content"])
        #expect(output[1]["call_id"] == "call_AB6AaRZ1FYZB2RwS6A5vbdqn")
        let arguments = try JSONValue(parsing: output[1]["arguments"]?.stringValue ?? "")
        #expect(arguments == ["a": 12, "b": 7, "op": "add"])
    }
}
