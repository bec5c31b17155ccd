import AsyncHTTPClient
import Convert
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Proxy
import TestSupport
import Wire

/// A proxy in-process on port 0, routed to a stub upstream, and a client to
/// talk to it.
struct ProxyHarness {
    let port: Int
    let stub: StubHTTPServer

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What a test got back.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue? { try? JSONValue(parsing: body) }
        /// `error.type` of an Anthropic error body.
        var errorType: String? { json?["error"]?["type"]?.stringValue }
        var errorMessage: String? { json?["error"]?["message"]?.stringValue }
    }

    /// Routes to the stub, one per upstream format, plus an alias, and a
    /// route to a port nothing listens on.
    static func config(
        stub: StubHTTPServer, timeout: String = "25s", apiKey: String? = nil, upstreamBase: String? = nil
    ) throws -> ProxyConfig {
        let base = upstreamBase ?? stub.baseURL
        let key = apiKey.map { "\n    api_key: \($0)" } ?? ""
        let yaml = """
            models:
              - model_id: gpt
                model_name: upstream-gpt
                api_base: \(base)/v1
                format: openai
                timeout: \(timeout)\(key)
                aliases: ["claude-*haiku*"]
              - model_id: claude
                model_name: upstream-claude
                api_base: \(base)
                format: anthropic
                timeout: \(timeout)\(key)
              - model_id: gemini
                model_name: gemini-2.5-flash
                api_base: \(base)/v1beta
                format: gemini
                timeout: \(timeout)\(key)
              - model_id: responses
                model_name: gpt-5-mini
                api_base: \(base)/v1
                format: openai-responses
                timeout: \(timeout)\(key)
              - model_id: down
                model_name: nothing
                api_base: http://127.0.0.1:1
                format: openai
            """
        return try ProxyConfig.parse(yaml: yaml, file: "test.yaml")
    }

    /// Runs `body` against a proxy routed to a fresh stub. The routes'
    /// default `timeout` (25 s) is long because a CI machine's 2 cores, with
    /// the suite in parallel and other work beside it, were seen to leave a
    /// stub unanswered for over 10 s; it stays under the client's 30 s.
    static func run<T>(
        timeout: String = "25s", apiKey: String? = nil, upstreamBase: String? = nil, maxBodyBytes: Int = 32 << 20,
        recording: ExchangeRecording? = nil, tracing: ProxyTracing? = nil,
        configYAML: ((_ stubBase: String) -> String)? = nil, environment: [String: String] = [:],
        logger: Logger? = nil, maxConnections: Int? = nil, logins: AuthStore? = nil,
        headerTimeout: Duration = ProxyServer.Options.defaultHeaderTimeout, maxStreamEventBytes: Int? = nil,
        listenHost: String = "127.0.0.1", allowedHosts: [String] = [], allowedOrigins: [String] = [],
        _ body: (ProxyHarness) async throws -> T
    ) async throws -> T {
        try await StubHTTPServer.withRunning { stub in
            var config =
                try configYAML.map {
                    try ProxyConfig.parse(yaml: $0(stub.baseURL), file: "test.yaml", environment: environment)
                }
                ?? config(stub: stub, timeout: timeout, apiKey: apiKey, upstreamBase: upstreamBase)
            // Subscription backends are the stub too.
            if let logins {
                config = config.applyingSubscriptions(
                    from: logins,
                    environment: [
                        "SWITCHBOARD_CLAUDE_CODE_API_BASE": stub.baseURL,
                        "SWITCHBOARD_CODEX_API_BASE": stub.baseURL + "/backend-api",
                        "SWITCHBOARD_CODEX_AUTH_BASE": stub.baseURL,
                        "SWITCHBOARD_GEMINI_API_BASE": stub.baseURL,
                        "SWITCHBOARD_GEMINI_AUTH_BASE": stub.baseURL,
                        "SWITCHBOARD_GEMINI_REDIRECT_URI": "http://localhost:8085/oauth2callback",
                        "SWITCHBOARD_CODEX_REDIRECT_URI": "http://localhost:1455/auth/callback",
                        "SWITCHBOARD_ANTIGRAVITY_API_BASE": stub.baseURL,
                        "SWITCHBOARD_ANTIGRAVITY_AUTH_BASE": stub.baseURL,
                        "SWITCHBOARD_ANTIGRAVITY_REDIRECT_URI": "http://localhost:51121/oauth-callback",
                    ])
            }
            var quiet = Logger(label: "proxy-test")
            quiet.logLevel = .critical
            let logger = logger ?? quiet
            var options = ProxyServer.Options(
                host: listenHost, port: 0, maxBodyBytes: maxBodyBytes, maxConnections: maxConnections,
                headerTimeout: headerTimeout, allowedHosts: allowedHosts, allowedOrigins: allowedOrigins)
            if let maxStreamEventBytes { options.maxStreamEventBytes = maxStreamEventBytes }
            let server = ProxyServer(
                config: config,
                options: options,
                recording: recording, tracing: tracing, logger: logger)
            return try await server.withRunning { port in
                try await body(ProxyHarness(port: port, stub: stub))
            }
        }
    }

    func send(
        _ method: HTTPMethod = .POST, _ path: String, body: [UInt8]? = nil,
        headers: [(String, String)] = [("content-type", "application/json")]
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: testRequestTimeout)
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers, body: Array(collected.readableBytesView))
    }

    func post(_ path: String = "/v1/messages", json: JSONValue, headers: [(String, String)] = []) async throws -> Reply
    {
        try await send(.POST, path, body: json.serialized(), headers: [("content-type", "application/json")] + headers)
    }

    func post(_ path: String = "/v1/messages", text: String) async throws -> Reply {
        try await send(.POST, path, body: Array(text.utf8))
    }

    /// A minimal valid Messages request.
    static func messages(model: String = "gpt", stream: Bool = false, maxTokens: Int64 = 100) -> JSONValue {
        var request: JSONValue = [
            "model": .string(model), "max_tokens": .int(maxTokens),
            "messages": [["role": "user", "content": "Say hello"]],
        ]
        if stream { request["stream"] = true }
        return request
    }
}

/// Provider-shaped bodies for the stub to send.
enum UpstreamBodies {
    static func openAIError(_ message: String) -> String {
        #"{"error":{"message":"\#(message)","type":"invalid_request_error","code":null}}"#
    }

    static let openAICompletion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"upstream-gpt",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
        """

    /// An OpenAI stream, one SSE frame per element.
    static let openAIStream: [String] = [
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-gpt","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#
            + "\n\n",
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-gpt","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#
            + "\n\n",
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-gpt","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}"#
            + "\n\n",
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-gpt","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#
            + "\n\n",
        "data: [DONE]\n\n",
    ]

    /// An Anthropic stream, split at awkward places on purpose. Its model is
    /// the id the tests ask for, so the proxy has nothing to change in it.
    static let anthropicStream: [String] = {
        let whole = [
            #"event: message_start"#,
            #"data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}"#,
            "",
            #"event: content_block_start"#,
            #"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            "",
            #"event: ping"#,
            #"data: {"type": "ping"}"#,
            "",
            #"event: content_block_delta"#,
            #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#,
            "",
            #"event: content_block_stop"#,
            #"data: {"type":"content_block_stop","index":0}"#,
            "",
            #"event: message_delta"#,
            #"data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}"#,
            "",
            #"event: message_stop"#,
            #"data: {"type":"message_stop"}"#,
            "", "",
        ].joined(separator: "\n")
        let bytes = Array(whole.utf8)
        let cuts = [7, 150, 151, 300, 420, bytes.count - 3]
        var pieces: [String] = []
        var start = 0
        for cut in cuts + [bytes.count] where cut > start {
            pieces.append(String(decoding: bytes[start..<cut], as: UTF8.self))
            start = cut
        }
        return pieces
    }()

    /// ``anthropicStream`` up to (not including) the first `event: name`
    /// line: whole events only.
    static func anthropicStream(before name: String) -> String {
        let whole = anthropicStream.joined()
        return whole.range(of: "event: \(name)\n").map { String(whole[..<$0.lowerBound]) } ?? whole
    }

    static let anthropicMessage = """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude",\
        "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,\
        "usage":{"input_tokens":3,"output_tokens":1}}
        """
}

/// SSE frames of a response body, as (event, data) pairs.
func sseFrames(_ text: String) -> [(event: String?, data: String)] {
    text.components(separatedBy: "\n\n").compactMap { block in
        var event: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("event:") { event = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("data:") { data.append(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) }
        }
        return event == nil && data.isEmpty ? nil : (event, data.joined(separator: "\n"))
    }
}
