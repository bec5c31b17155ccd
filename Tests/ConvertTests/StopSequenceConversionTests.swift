import Convert
import SSE
import TestSupport
import Testing
import Wire

/// Stop sequences an upstream cannot take, applied by the proxy: which
/// go up, and the answer cut where Anthropic would have stopped it, in
/// real provider streams and in a whole answer.
@Suite struct StopSequenceConversionTests {
    static func anthropicRequest(stops: [String], stream: Bool = true) throws -> ClientRequest {
        try ClientRequest(
            endpoint: ClientEndpoint(dialect: .anthropic),
            body: [
                "model": "claude-test", "max_tokens": 100, "stream": .bool(stream),
                "stop_sequences": .array(stops.map(JSONValue.string)),
                "messages": [["role": "user", "content": "Hi"]],
            ])
    }

    static func chatRequest(stops: [String], stream: Bool = true) throws -> ClientRequest {
        try ClientRequest(
            endpoint: #require(ClientEndpoint.parse(path: "/v1/chat/completions", query: nil)),
            body: [
                "model": "gpt-test", "stream": .bool(stream), "stop": .array(stops.map(JSONValue.string)),
                "messages": [["role": "user", "content": "Hi"]],
            ])
    }

    static let openAIsOwn = RouteOptions(
        modelID: "gpt", upstreamDialect: .openai, upstreamModel: "gpt-4.1",
        maxStopSequences: RouteOptions.openAIMaxStopSequences)

    @Test func openAIsOwnChatAPIGetsFourAndACompatibleServerAll() throws {
        let five = ["a", "b", "c", "d", "e"]
        let request = try Self.anthropicRequest(stops: five)
        let converted = try request.upstreamBody(route: Self.openAIsOwn)
        #expect(converted.body["stop"] == ["a", "b", "c", "d"])
        #expect(
            converted.diagnostics.map(\.message).contains(
                "OpenAI Chat Completions takes at most 4 stop sequences; the first 4 are sent, and the proxy applies "
                    + "all 5 to the answer"))
        #expect(request.stopSequencesAppliedByProxy(route: Self.openAIsOwn) == five)
        // DeepSeek's route has no limit: all go up, and the proxy applies none.
        #expect(try request.upstreamBody(route: TestRoutes.openAI).body["stop"] == ["a", "b", "c", "d", "e"])
        #expect(request.stopSequencesAppliedByProxy(route: TestRoutes.openAI) == nil)
        #expect(try Self.anthropicRequest(stops: ["a"]).stopSequencesAppliedByProxy(route: Self.openAIsOwn) == nil)
        // A Chat client's request to a Chat route is passed through as it was written.
        let chat = try Self.chatRequest(stops: five)
        #expect(try chat.upstreamBody(route: Self.openAIsOwn).body["stop"] == ["a", "b", "c", "d", "e"])
        #expect(chat.stopSequencesAppliedByProxy(route: Self.openAIsOwn) == nil)
    }

    @Test func onlyRoutesThatWithholdSomeApplyThem() throws {
        #expect(
            try Self.anthropicRequest(stops: ["END"]).stopSequencesAppliedByProxy(route: TestRoutes.responses) == [
                "END"
            ])
        #expect(try Self.anthropicRequest(stops: ["END"]).stopSequencesAppliedByProxy(route: TestRoutes.gemini) == nil)
        #expect(try Self.anthropicRequest(stops: []).stopSequencesAppliedByProxy(route: TestRoutes.responses) == nil)
        // Anthropic refuses "\n" from another dialect's client: not sent, so applied.
        #expect(
            try Self.chatRequest(stops: ["\n", "END"]).stopSequencesAppliedByProxy(route: TestRoutes.anthropic) == [
                "\n", "END",
            ])
        #expect(
            try Self.anthropicRequest(stops: ["\n"]).stopSequencesAppliedByProxy(route: TestRoutes.anthropic) == nil)
        // Chat's `stop` may be one string; Gemini's are in generationConfig.
        let oneString = try ClientRequest(
            endpoint: #require(ClientEndpoint.parse(path: "/v1/chat/completions", query: nil)),
            body: ["model": "gpt-test", "stop": "END", "messages": [["role": "user", "content": "Hi"]]])
        #expect(oneString.stopSequencesAppliedByProxy(route: TestRoutes.responses) == ["END"])
        let gemini = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generation_config": ["stop_sequences": ["END", "STOP"]],
            ])
        #expect(gemini.stopSequencesAppliedByProxy(route: TestRoutes.responses) == ["END", "STOP"])
    }

    /// The last response of a recorded Codex agent loop, "The final result
    /// is **570**.", in deltas `The`, ` final`, ` result`, ` is`, ` **`,
    /// `570`: the sequence spans three of them.
    @Test func aResponsesStreamEndsAtTheSequenceSplitOverDeltas() throws {
        let path = try Fixtures.path("providers/openai-responses/openai-reasoning-encrypted-content.1.chunks.txt")
        let payloads = try #require(try OpenAIResponsesStreamFixtureTests.responses(path).last)
        let bytes = Fixtures.sseBytes(payloads: payloads, framing: .namedByType)
        let request = try Self.anthropicRequest(stops: ["is **5"])
        var converter = request.streamConverter(route: TestRoutes.responses, createdAt: 0)
        let frames = feed(bytes, to: &converter)
        #expect(converter.endedAtStopSequence)
        #expect(
            converter.takeDiagnostics().map(\.message) == [
                "the proxy ended the answer at a stop sequence the upstream was not given all of; "
                    + "the rest of the upstream's answer is not read"
            ])
        #expect(violations(frames) == [])
        let payloadsOut = frames.map { try? JSONValue(parsing: $0.data) }
        #expect(
            frames.map(\.event) == [
                "message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
            ])
        #expect(payloadsOut[3...6].map { $0?["delta"]?["text"] } == ["The", " final", " result", " "])
        #expect(
            payloadsOut[8]?["delta"] == ["stop_reason": "stop_sequence", "stop_sequence": "is **5"])
        // Responses counts output tokens only at its end, never reached:
        // estimated from the 17 characters let through, 4 a token.
        #expect(payloadsOut[8]?["usage"]?["output_tokens"] == 5)
        // The exchange's usage (access line, metrics, the cassette's end
        // line) is what the client was told, not the upstream's, cut short.
        #expect(converter.usage == payloadsOut[8]?["usage"])
        // Fed a byte at a time, the same.
        var sliced = request.streamConverter(route: TestRoutes.responses, createdAt: 0)
        #expect(AssembledMessage(feed(bytes, to: &sliced, sliceSize: 1)).blocks == AssembledMessage(frames).blocks)
    }

    /// Gemini's recorded answer, `There are **3**` then ` "r"s in
    /// strawberry...`, for an OpenAI Chat client asking for six stop
    /// sequences: Gemini got five, the sixth (split over the two chunks) is
    /// the proxy's.
    @Test func aGeminiStreamEndsAtTheSixthSequenceForAChatClient() throws {
        let bytes = try Fixtures.sseBytes(
            chunksFile: try Fixtures.path("providers/gemini/google-text.chunks.txt"))
        let request = try Self.chatRequest(stops: ["1", "2", "4", "5", "6", #"** "r"#])
        var converter = request.streamConverter(route: TestRoutes.gemini, createdAt: 0)
        let frames = feed(bytes, to: &converter)
        #expect(converter.endedAtStopSequence)
        #expect(OpenAIChatStreamChecker.violations(in: frames, expectUsage: false) == [])
        let chunks = frames.map { try? JSONValue(parsing: $0.data) }
        #expect(OpenAIChatClientStreamTests.Assembled(frames).content == "There are **3")
        #expect(chunks.compactMap { $0?["choices"]?[0]?["finish_reason"]?.stringValue } == ["stop"])
        #expect(frames.last?.data == "[DONE]")
    }

    /// A Gemini client's five stop sequences on OpenAI's own Chat API,
    /// which takes four: the proxy applies them to the text, not to the
    /// reasoning before it, and the client gets Gemini's `STOP`.
    @Test func aGeminiClientsTextIsCutOnAChatRouteButNotItsThoughts() throws {
        let request = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "gpt", pathStream: true),
            body: [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["stopSequences": ["a1", "a2", "a3", "a4", "STOP"]],
            ])
        let chunks = [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"I will say STOP."}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"Hello ST"}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"OP and more"}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#, "[DONE]",
        ]
        var converter = request.streamConverter(route: Self.openAIsOwn, createdAt: 0)
        let frames = feed(Fixtures.sseBytes(payloads: chunks, framing: .dataOnly), to: &converter)
        #expect(converter.endedAtStopSequence)
        let candidates = frames.compactMap { try? JSONValue(parsing: $0.data)["candidates"]?[0] }
        let parts = candidates.flatMap { $0["content"]?["parts"]?.arrayValue ?? [] }
        let thought = parts.filter { $0["thought"] == true }.compactMap { $0["text"]?.stringValue }.joined()
        let text = parts.filter { $0["thought"] != true }.compactMap { $0["text"]?.stringValue }.joined()
        #expect(thought == "I will say STOP.")
        #expect(text == "Hello ")
        #expect(candidates.compactMap { $0["finishReason"]?.stringValue } == ["STOP"])
    }

    static let responsesAnswer: JSONValue = [
        "id": "resp_1", "object": "response", "created_at": 1, "status": "completed", "model": "gpt-5",
        "output": [
            ["type": "reasoning", "id": "rs_1", "summary": [["type": "summary_text", "text": "Say STOP."]]],
            [
                "type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                "content": [["type": "output_text", "text": "Hello, STOP and more", "annotations": []]],
            ],
            ["type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "Ping", "arguments": "{}"],
        ],
        "usage": ["input_tokens": 10, "output_tokens": 20, "total_tokens": 30],
    ]

    @Test func aWholeAnswerIsCutAtItsTextNotItsThinking() throws {
        let request = try Self.anthropicRequest(stops: ["STOP"], stream: false)
        let answer = try request.clientResponse(
            upstreamBody: Self.responsesAnswer, route: TestRoutes.responses, createdAt: 0
        ).body
        #expect(answer["content"]?.arrayValue?.map { $0["type"] } == ["thinking", "text"])
        #expect(answer["content"]?[0]?["thinking"] == "Say STOP.")
        #expect(answer["content"]?[1]?["text"] == "Hello, ")
        #expect(answer["stop_reason"] == "stop_sequence")
        #expect(answer["stop_sequence"] == "STOP")
        // A Chat client's answer: the text up to it, and "stop".
        let chat = try Self.chatRequest(stops: ["STOP"], stream: false).clientResponse(
            upstreamBody: Self.responsesAnswer, route: TestRoutes.responses, createdAt: 0
        ).body
        #expect(chat["choices"]?[0]?["message"]?["content"] == "Hello, ")
        #expect(chat["choices"]?[0]?["message"]?["tool_calls"] == nil)
        #expect(chat["choices"]?[0]?["finish_reason"] == "stop")
        // No match: the answer as it was.
        let untouched = try Self.anthropicRequest(stops: ["NEVER"], stream: false).clientResponse(
            upstreamBody: Self.responsesAnswer, route: TestRoutes.responses, createdAt: 0
        ).body
        #expect(untouched["stop_reason"] == "tool_use")
        #expect(untouched["content"]?.arrayValue?.count == 3)
    }

    @Test func aMatchAtTheVeryStartLeavesNoTextBlock() throws {
        let bytes = Fixtures.sseBytes(
            payloads: [
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"\nlater"}]}}]}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":" more"}]},"finishReason":"STOP"}]}"#,
            ], framing: .dataOnly)
        var anthropic = try Self.anthropicRequest(stops: ["1", "2", "3", "4", "5", "\n"]).streamConverter(
            route: TestRoutes.gemini, createdAt: 0)
        let frames = feed(bytes, to: &anthropic)
        #expect(violations(frames) == [])
        #expect(frames.map(\.event) == ["message_start", "ping", "message_delta", "message_stop"])
    }
}
