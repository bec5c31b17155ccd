import Convert
import SSE
import TestSupport
import Testing
import Wire

/// Every client dialect against every upstream format (4 x 4), streamed and
/// not, through the running proxy, each upstream answering with a real
/// provider's recorded tool call: the client gets the call, in its own
/// dialect, and every stream passes its dialect's checker.
@Suite struct DialectPairTests {
    /// A route in ``ProxyHarness/config`` per upstream format, the recorded
    /// tool call it answers with, and the tool's name in it.
    struct Upstream {
        var model: String
        var fixture: String
        var toolName: String

        /// The calls a converted answer holds: Responses' `parallel` wrapper
        /// is unwrapped into the calls it carries; a pass-through keeps it.
        func toolNames(passthrough: Bool) -> [String] {
            toolName == "parallel" && !passthrough ? ["weather", "cityAttractions"] : [toolName]
        }

        static func of(_ format: Dialect) -> Upstream {
            switch format {
            case .openai: Upstream(model: "gpt", fixture: "openai-chat/deepseek-tool-call", toolName: "weather")
            case .anthropic:
                Upstream(model: "claude", fixture: "anthropic/anthropic-tool-no-args", toolName: "updateIssueList")
            case .gemini: Upstream(model: "gemini", fixture: "gemini/google-tool-call", toolName: "weather")
            case .openaiResponses:
                Upstream(
                    model: "responses", fixture: "openai-responses/parallel-tool-call-wrapper.1", toolName: "parallel")
            }
        }
    }

    static let schema: JSONValue = ["type": "object", "properties": ["location": ["type": "string"]]]

    /// The client's path and body in its dialect, offering one tool.
    static func request(_ client: Dialect, model: String, stream: Bool) -> (path: String, body: JSONValue) {
        let ask = "Weather in San Francisco?"
        switch client {
        case .anthropic:
            var body: JSONValue = [
                "model": .string(model), "max_tokens": 512,
                "tools": [["name": "weather", "input_schema": schema]],
                "messages": [["role": "user", "content": .string(ask)]],
            ]
            if stream { body["stream"] = true }
            return ("/v1/messages", body)
        case .openai:
            var body: JSONValue = [
                "model": .string(model),
                "tools": [["type": "function", "function": ["name": "weather", "parameters": schema]]],
                "messages": [["role": "user", "content": .string(ask)]],
            ]
            if stream {
                body["stream"] = true
                body["stream_options"] = ["include_usage": true]
            }
            return ("/v1/chat/completions", body)
        case .openaiResponses:
            var body: JSONValue = [
                "model": .string(model), "input": .string(ask),
                "tools": [["type": "function", "name": "weather", "parameters": schema]],
            ]
            if stream { body["stream"] = true }
            return ("/openai/v1/responses", body)
        case .gemini:
            let method = stream ? "streamGenerateContent?alt=sse" : "generateContent"
            let body: JSONValue = [
                "contents": [["role": "user", "parts": [["text": .string(ask)]]]],
                "tools": [["functionDeclarations": [["name": "weather", "parameters": schema]]]],
            ]
            return ("/v1beta/models/\(model):\(method)", body)
        }
    }

    /// The tool names a non-streamed answer calls, read in the client's dialect.
    static func calledTools(_ body: JSONValue?, client: Dialect) -> [String] {
        switch client {
        case .anthropic:
            return (body?["content"]?.arrayValue ?? []).filter { $0["type"] == "tool_use" }
                .compactMap { $0["name"]?.stringValue }
        case .openai:
            return (body?["choices"]?[0]?["message"]?["tool_calls"]?.arrayValue ?? [])
                .compactMap { $0["function"]?["name"]?.stringValue }
        case .openaiResponses:
            return (body?["output"]?.arrayValue ?? []).filter { $0["type"] == "function_call" }
                .compactMap { $0["name"]?.stringValue }
        case .gemini:
            return (body?["candidates"]?[0]?["content"]?["parts"]?.arrayValue ?? [])
                .compactMap { $0["functionCall"]?["name"]?.stringValue }
        }
    }

    /// What a client's stream checker finds wrong, and the tool names the
    /// stream called.
    static func check(_ text: String, client: Dialect) -> (violations: [String], tools: [String]) {
        let frames: [SSEEvent] = sseFrames(text).map { SSEEvent(event: $0.event, data: $0.data) }
        let payloads: [JSONValue] = frames.compactMap { try? JSONValue(parsing: $0.data) }
        let violations = ClientStreamChecker.violations(in: frames, dialect: client, expectUsage: true)
        switch client {
        case .anthropic:
            let blocks: [JSONValue] = payloads.compactMap { $0["content_block"] }
            let tools: [String] = blocks.filter { $0["type"] == "tool_use" }.compactMap { $0["name"]?.stringValue }
            return (violations, tools)
        case .openai:
            let calls: [JSONValue] = payloads.flatMap { (payload: JSONValue) -> [JSONValue] in
                payload["choices"]?[0]?["delta"]?["tool_calls"]?.arrayValue ?? []
            }
            let tools: [String] = calls.compactMap { $0["function"]?["name"]?.stringValue }
            return (violations, tools)
        case .openaiResponses:
            let items: [JSONValue] = payloads.filter { $0["type"] == "response.output_item.done" }
                .compactMap { $0["item"] }
            let tools: [String] = items.filter { $0["type"] == "function_call" }.compactMap { $0["name"]?.stringValue }
            return (violations, tools)
        case .gemini:
            let parts: [JSONValue] = payloads.flatMap { (payload: JSONValue) -> [JSONValue] in
                payload["candidates"]?[0]?["content"]?["parts"]?.arrayValue ?? []
            }
            let tools: [String] = parts.compactMap { $0["functionCall"]?["name"]?.stringValue }
            return (violations, tools)
        }
    }

    @Test(arguments: Dialect.allCases, Dialect.allCases)
    func clientGetsTheUpstreamsToolCallInItsOwnDialect(client: Dialect, format: Dialect) async throws {
        let upstream = Upstream.of(format)
        try await ProxyHarness.run { proxy in
            let streamed = try Fixtures.sseBytes(
                chunksFile: try Fixtures.path("providers/\(upstream.fixture).chunks.txt"))
            proxy.stub.reply = .eventStream(splitting: streamed, maxPiece: 13)
            let (streamPath, streamBody) = Self.request(client, model: upstream.model, stream: true)
            let stream = try await proxy.post(streamPath, json: streamBody, headers: [("x-api-key", "sk-pair")])
            #expect(stream.status == 200, "\(stream.text)")
            let passthrough = client == format
            let checked = Self.check(stream.text, client: client)
            if passthrough && client != .anthropic {
                // Relayed as the provider wrote it, quirks included (no usage
                // chunk, no sequence numbers): the bytes are the check.
                #expect(stream.body == streamed)
            } else {
                #expect(checked.violations == [], "\(stream.text)")
            }
            #expect(checked.tools == upstream.toolNames(passthrough: passthrough), "\(stream.text)")

            let whole = try Fixtures.bytes(atPath: try Fixtures.path("providers/\(upstream.fixture).json"))
            proxy.stub.reply = .json(200, String(decoding: whole, as: UTF8.self))
            let (path, body) = Self.request(client, model: upstream.model, stream: false)
            let plain = try await proxy.post(path, json: body, headers: [("x-api-key", "sk-pair")])
            #expect(plain.status == 200, "\(plain.text)")
            #expect(
                Self.calledTools(plain.json, client: client) == upstream.toolNames(passthrough: passthrough),
                "\(plain.text)")
        }
    }
}
