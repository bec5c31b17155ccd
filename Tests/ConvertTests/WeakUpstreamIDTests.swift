import Convert
import Foundation
import Testing
import Wire

/// Weak upstream ids (none, short, repeated) are made unique per exchange
/// from the route's `idSeed`; strong ones, and every id when there is no
/// seed (recordings from before it), come out as the upstream sent them.
@Suite struct WeakUpstreamIDTests {
    static func chatRoute(seed: String?) -> RouteOptions {
        RouteOptions(modelID: "local", upstreamDialect: .openai, upstreamModel: "qwen", idSeed: seed)
    }

    static func geminiRoute(seed: String?) -> RouteOptions {
        RouteOptions(modelID: "gemini", upstreamDialect: .gemini, upstreamModel: "gemini-2.5-pro", idSeed: seed)
    }

    /// A Chat answer with `id` (none when nil) calling `Read` once per id in `calls`.
    static func chatBody(id: String?, calls: [String]) -> JSONValue {
        let toolCalls: [JSONValue] = calls.map {
            ["id": .string($0), "type": "function", "function": ["name": "Read", "arguments": #"{"path":"a"}"#]]
        }
        var body: JSONObject = [
            "object": "chat.completion", "created": 1_700_000_000, "model": "qwen",
            "choices": [
                [
                    "index": 0, "message": ["role": "assistant", "content": nil, "tool_calls": .array(toolCalls)],
                    "finish_reason": "tool_calls",
                ]
            ],
        ]
        if let id { body["id"] = .string(id) }
        return .object(body)
    }

    /// The message id and the tool_use ids of a converted answer.
    static func ids(of body: JSONValue) -> (message: String?, tools: [String]) {
        let tools = (body["content"]?.arrayValue ?? []).filter { $0["type"] == "tool_use" }
        return (body["id"]?.stringValue, tools.compactMap { $0["id"]?.stringValue })
    }

    static func converted(_ body: JSONValue, route: RouteOptions) throws -> (message: String?, tools: [String]) {
        ids(of: try ResponseConverter.convert(upstreamBody: body, route: route, requestedModel: "claude-test"))
    }

    /// The message id and tool_use ids of a streamed answer, as the client gets them.
    static func streamed(_ payloads: [JSONValue], route: RouteOptions) -> (message: String?, tools: [String]) {
        var converter = UpstreamStreamConverter(route: route, requestedModel: "claude-test")
        var bytes: [UInt8] = []
        for payload in payloads { bytes += Array("data: \(payload.serializedString())\n\n".utf8) }
        if route.upstreamDialect == .openai { bytes += Array("data: [DONE]\n\n".utf8) }
        let events = converter.receive(bytes) + converter.finish(error: nil)
        let data = events.compactMap { try? JSONValue(parsing: Array($0.data.utf8)) }
        let message = data.first { $0["type"] == "message_start" }?["message"]?["id"]?.stringValue
        let tools = data.filter { $0["type"] == "content_block_start" && $0["content_block"]?["type"] == "tool_use" }
        return (message, tools.compactMap { $0["content_block"]?["id"]?.stringValue })
    }

    /// Chat stream chunks with `id`, one whole call per entry of `calls` at its own index.
    static func chatChunks(id: String, calls: [String]) -> [JSONValue] {
        let fragments: [JSONValue] = calls.enumerated().map { index, call in
            [
                "index": .int(Int64(index)), "id": .string(call), "type": "function",
                "function": ["name": "Read", "arguments": #"{"path":"a"}"#],
            ]
        }
        return [
            [
                "id": .string(id),
                "choices": [["index": 0, "delta": ["role": "assistant", "tool_calls": .array(fragments)]]],
            ],
            ["id": .string(id), "choices": [["index": 0, "delta": [:], "finish_reason": "tool_calls"]]],
        ]
    }

    // MARK: Strong ids

    @Test func realProvidersIdsComeOutAsTheyCame() throws {
        // OpenAI's message id with DeepSeek's and Groq's tool call ids (shared/fixtures/providers).
        let body = Self.chatBody(
            id: "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU", calls: ["call_00_9V0vrf86Pc9aelHCJMZqnJBo", "ax9fskhev"])
        let ids = try Self.converted(body, route: Self.chatRoute(seed: "req_1"))
        #expect(ids.message == "msg_chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU")
        #expect(ids.tools == ["call_00_9V0vrf86Pc9aelHCJMZqnJBo", "ax9fskhev"])
        // Mistral's stream: a 32-hex message id, a 9-character call id.
        let streamed = Self.streamed(
            Self.chatChunks(id: "b3999b8c93e04e11bcbff7bcab829667", calls: ["gSIMJiOkT"]),
            route: Self.chatRoute(seed: "req_1"))
        #expect(streamed.message == "msg_b3999b8c93e04e11bcbff7bcab829667")
        #expect(streamed.tools == ["gSIMJiOkT"])
    }

    @Test func withoutASeedWeakIdsComeOutAsBefore() throws {
        let ids = try Self.converted(
            Self.chatBody(id: "chatcmpl-123", calls: ["call_0", "call_0"]), route: Self.chatRoute(seed: nil))
        #expect(ids.message == "msg_chatcmpl-123")
        #expect(ids.tools == ["call_0", "call_0"])
    }

    // MARK: Weak ids across exchanges

    @Test func aRepeatedShortMessageIdDiffersBetweenExchanges() throws {
        // Ollama: `chatcmpl-<0..999>`; a server that says `call_0` on every turn.
        let body = Self.chatBody(id: "chatcmpl-123", calls: ["call_0"])
        let first = try Self.converted(body, route: Self.chatRoute(seed: "req_a"))
        let second = try Self.converted(body, route: Self.chatRoute(seed: "req_b"))
        #expect(first.message != second.message)
        #expect(first.tools != second.tools)
        #expect(first.message?.hasPrefix("msg_chatcmpl-123_") == true)
        #expect(first.tools.allSatisfy { $0.hasPrefix("toolu_") })
        // The same exchange replayed makes the same ids.
        #expect(try Self.converted(body, route: Self.chatRoute(seed: "req_a")) == first)
    }

    @Test func noMessageIdDiffersBetweenExchangesOfTheSameSecond() throws {
        let body = Self.chatBody(id: nil, calls: [])
        let first = try Self.converted(body, route: Self.chatRoute(seed: "req_a")).message
        let second = try Self.converted(body, route: Self.chatRoute(seed: "req_b")).message
        #expect(first != nil && second != nil && first != second)
    }

    @Test func aRepeatedStreamedIdDiffersBetweenExchanges() {
        let chunks = Self.chatChunks(id: "chatcmpl-7", calls: ["call_0"])
        let first = Self.streamed(chunks, route: Self.chatRoute(seed: "req_a"))
        let second = Self.streamed(chunks, route: Self.chatRoute(seed: "req_b"))
        #expect(first.message != second.message)
        #expect(first.tools.count == 1 && second.tools.count == 1)
        #expect(first.tools != second.tools)
        #expect(Self.streamed(chunks, route: Self.chatRoute(seed: "req_a")) == first)
    }

    // MARK: One id on two calls of one answer

    @Test func parallelCallsSharingAnIdGetTwoIds() throws {
        let strong = "call_abcdefghijklmnopqrstuvwx"
        let body = try Self.converted(
            Self.chatBody(id: "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU", calls: [strong, strong]),
            route: Self.chatRoute(seed: "req_1"))
        #expect(body.tools.count == 2)
        #expect(body.tools.first == strong)
        #expect(body.tools[0] != body.tools[1])
        let streamed = Self.streamed(
            Self.chatChunks(id: "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU", calls: [strong, strong]),
            route: Self.chatRoute(seed: "req_1"))
        #expect(streamed.tools.count == 2)
        #expect(streamed.tools.first == strong)
        #expect(streamed.tools[0] != streamed.tools[1])
    }

    // MARK: Gemini

    static func geminiAnswer(responseId: String) -> JSONValue {
        [
            "candidates": [
                [
                    "content": [
                        "role": "model", "parts": [["functionCall": ["name": "Read", "args": ["path": "a"]]]],
                    ],
                    "finishReason": "STOP",
                ]
            ],
            "responseId": .string(responseId),
        ]
    }

    @Test func aRepeatedWeakGeminiResponseIdGivesNewToolIds() throws {
        let answer = Self.geminiAnswer(responseId: "resp-1")
        let first = try Self.converted(answer, route: Self.geminiRoute(seed: "req_a"))
        let second = try Self.converted(answer, route: Self.geminiRoute(seed: "req_b"))
        #expect(first.message != second.message)
        #expect(first.tools.count == 1 && first.tools != second.tools)
        let streamedFirst = Self.streamed([answer], route: Self.geminiRoute(seed: "req_a"))
        let streamedSecond = Self.streamed([answer], route: Self.geminiRoute(seed: "req_b"))
        #expect(streamedFirst.tools.count == 1 && streamedFirst.tools != streamedSecond.tools)
    }

    @Test func aRealGeminiResponseIdKeepsItsToolIds() throws {
        // The responseId of shared/fixtures/providers/gemini/google-tool-call.
        let answer = Self.geminiAnswer(responseId: "b36LacjwM668nsEP2tbsgQQ")
        let seeded = try Self.converted(answer, route: Self.geminiRoute(seed: "req_a"))
        #expect(seeded.message == "msg_b36LacjwM668nsEP2tbsgQQ")
        #expect(try Self.converted(answer, route: Self.geminiRoute(seed: nil)) == seeded)
    }

    // MARK: Responses

    @Test func aWeakResponsesIdAndCallIdDifferBetweenExchanges() throws {
        let answer: JSONValue = [
            "id": "resp_1", "object": "response", "status": "completed",
            "output": [
                [
                    "type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "Read",
                    "arguments": #"{"path":"a"}"#,
                ]
            ],
        ]
        func route(_ seed: String) -> RouteOptions {
            RouteOptions(modelID: "r", upstreamDialect: .openaiResponses, upstreamModel: "gpt-5", idSeed: seed)
        }
        let first = try Self.converted(answer, route: route("req_a"))
        let second = try Self.converted(answer, route: route("req_b"))
        #expect(first.message != second.message)
        #expect(first.tools.count == 1 && first.tools != second.tools)
        #expect(first.tools != ["call_1"])
    }

    // MARK: The record

    @Test func theSeedIsRecordedAndReadBack() throws {
        let options = Self.chatRoute(seed: "req_0123")
        #expect(options.json["id_seed"] == "req_0123")
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(options.json.serialized()))
        #expect(decoded.idSeed == "req_0123")
        #expect(Self.chatRoute(seed: nil).json["id_seed"] == nil)
    }
}
