// TEMPORARY: a minimal stand-in for the Convert library's contract
// (contracts.md) so Proxy compiles and its server tests run before Convert
// lands on main. Internal names shadow nothing once deleted; DELETE THIS FILE
// when the real RequestConverter & co. are merged.
import Convert
import SSE
import Wire

struct ConversionDiagnostic: Sendable, Hashable {
    var severity: String
    var path: String
    var message: String
}

struct ConvertedRequest: Sendable {
    var body: JSONValue
    var diagnostics: [ConversionDiagnostic]
}

enum RequestConverter {
    static func validate(anthropicRequest: JSONValue) throws(APIError) {
        guard case .object = anthropicRequest else { throw .invalidRequest("request body must be a JSON object") }
        guard anthropicRequest["model"]?.stringValue != nil else { throw .invalidRequest("model: field required") }
        guard anthropicRequest["messages"]?.arrayValue != nil else { throw .invalidRequest("messages: field required") }
        guard anthropicRequest["max_tokens"]?.intValue != nil else { throw .invalidRequest("max_tokens: field required") }
    }

    static func convert(anthropicRequest: JSONValue, route: RouteOptions) throws(APIError) -> ConvertedRequest {
        var body = anthropicRequest
        body["model"] = .string(route.upstreamModel)
        if let cap = route.maxTokensCap, let asked = body["max_tokens"]?.intValue, asked > cap {
            body["max_tokens"] = .int(Int64(cap))
        }
        if route.upstreamDialect == .openai {
            var messages: [JSONValue] = []
            for message in anthropicRequest["messages"]?.arrayValue ?? [] {
                let text = message["content"]?.stringValue ?? ""
                messages.append(["role": message["role"] ?? "user", "content": .string(text)])
            }
            body = ["model": .string(route.upstreamModel), "messages": .array(messages)]
            if anthropicRequest["stream"]?.boolValue == true { body["stream"] = true }
        }
        return ConvertedRequest(body: body, diagnostics: [])
    }
}

enum ResponseConverter {
    static func convert(upstreamBody: JSONValue, route: RouteOptions, requestedModel: String) throws(APIError) -> JSONValue {
        let text = upstreamBody["choices"]?[0]?["message"]?["content"]?.stringValue ?? ""
        return [
            "id": .string("msg_" + (upstreamBody["id"]?.stringValue ?? "")), "type": "message", "role": "assistant",
            "model": .string(requestedModel), "content": [["type": "text", "text": .string(text)]],
            "stop_reason": "end_turn", "stop_sequence": nil, "usage": ["input_tokens": 0, "output_tokens": 0],
        ]
    }
}

struct UpstreamStreamConverter: Sendable {
    private var parser = SSEParser()
    private let dialect: Dialect
    private let requestedModel: String
    private var started = false
    private var ended = false
    private(set) var usage: JSONValue?

    init(route: RouteOptions, requestedModel: String) {
        dialect = route.upstreamDialect
        self.requestedModel = requestedModel
    }

    mutating func receive(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        parser.parse(bytes).flatMap { handle($0) }
    }

    mutating func finish(error: APIError?) -> [SSEEvent] {
        var output = error == nil ? parser.finish().flatMap { handle($0) } : []
        if !ended {
            let failure = error ?? APIError(status: 502, type: "api_error", message: "upstream ended the stream early")
            output.append(SSEEvent(event: "error", data: failure.rendered(in: .anthropic).serializedString()))
            ended = true
        }
        return output
    }

    private mutating func handle(_ event: SSEEvent) -> [SSEEvent] {
        guard !ended else { return [] }
        if dialect == .anthropic {
            if event.event == "message_stop" || event.event == "error" { ended = true }
            return [event]
        }
        if event.data == "[DONE]" {
            ended = true
            return started
                ? [
                    SSEEvent(event: "content_block_stop", data: #"{"type":"content_block_stop","index":0}"#),
                    SSEEvent(
                        event: "message_delta",
                        data: #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":0}}"#),
                    SSEEvent(event: "message_stop", data: #"{"type":"message_stop"}"#),
                ] : []
        }
        guard let chunk = try? JSONValue(parsing: event.data),
            let text = chunk["choices"]?[0]?["delta"]?["content"]?.stringValue, !text.isEmpty
        else { return [] }
        var output: [SSEEvent] = []
        if !started {
            started = true
            let start: JSONValue = [
                "type": "message_start",
                "message": [
                    "id": "msg_x", "type": "message", "role": "assistant", "model": .string(requestedModel),
                    "content": [], "stop_reason": nil, "stop_sequence": nil,
                    "usage": ["input_tokens": 0, "output_tokens": 0],
                ],
            ]
            output.append(SSEEvent(event: "message_start", data: start.serializedString()))
            output.append(
                SSEEvent(
                    event: "content_block_start",
                    data: #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#))
        }
        let delta: JSONValue = ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": .string(text)]]
        output.append(SSEEvent(event: "content_block_delta", data: delta.serializedString()))
        return output
    }
}

enum UpstreamErrorMapper {
    static func map(status: Int, body: [UInt8], retryAfter: String?, upstream: String, dialect: Dialect) -> APIError {
        let json = try? JSONValue(parsing: body)
        let detail =
            json?["error"]?["message"]?.stringValue ?? json?["message"]?.stringValue
            ?? String(decoding: body, as: UTF8.self)
        return APIError(
            status: status, type: APIError.anthropicType(forStatus: status),
            message: "upstream \(upstream) returned HTTP \(status): \(detail)", retryAfter: retryAfter)
    }
}

enum TokenEstimator {
    static func estimateInputTokens(anthropicRequest: JSONValue) -> Int {
        anthropicRequest.serialized().count / 4
    }
}
