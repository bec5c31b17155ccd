import Convert
import SSE
import TestSupport
import Wire

enum TestRoutes {
    static let openAI = RouteOptions(modelID: "deepseek", upstreamDialect: .openai, upstreamModel: "deepseek-chat")
    static let anthropic = RouteOptions(
        modelID: "claude", upstreamDialect: .anthropic, upstreamModel: "claude-sonnet-4-5-20250929")
}

/// Runs raw upstream bytes through `UpstreamStreamConverter`, whole or in
/// slices of `sliceSize` bytes, for an Anthropic client unless `encoder`
/// names another dialect's.
func convertStream(
    _ bytes: [UInt8], route: RouteOptions = TestRoutes.openAI, sliceSize: Int? = nil, error: APIError? = nil,
    requestedModel: String = "claude-test", encoder: (any ClientStreamEncoder)? = nil
) -> [SSEEvent] {
    var converter = UpstreamStreamConverter(route: route, requestedModel: requestedModel, encoder: encoder)
    return feed(bytes, to: &converter, sliceSize: sliceSize, error: error)
}

/// Feeds raw upstream bytes to `converter`, whole or in slices of
/// `sliceSize` bytes, then finishes it with `error`.
func feed(
    _ bytes: [UInt8], to converter: inout UpstreamStreamConverter, sliceSize: Int? = nil, error: APIError? = nil
) -> [SSEEvent] {
    converter.convert(bytes, sliceSizes: sliceSize.map { [$0] } ?? [], error: error)
}

/// Feeds chunk payloads to the pure transcoder, then `[DONE]` unless told not to.
func transcode(_ chunks: [JSONValue], done: Bool = true, error: APIError? = nil) -> [JSONValue] {
    var machine = OpenAIChatStreamTranscoder(requestedModel: "claude-test", upstreamName: "test")
    var output = chunks.flatMap { machine.receive(chunk: $0) }
    if done { output += machine.receiveDone() }
    return (output + machine.finish(error: error)).map(\.payload)
}

/// Tests read a pivot event by its Anthropic payload's members.
extension AnthropicStreamEvent {
    subscript(key: String) -> JSONValue? { payload[key] }
}

func violations(_ events: [AnthropicStreamEvent]) -> [String] {
    violations(events.map(\.sseEvent))
}

/// Payloads as the SSE events the converter would send.
func sseEvents(_ payloads: [JSONValue]) -> [SSEEvent] {
    payloads.map { SSEEvent(event: $0["type"]?.stringValue, data: $0.serializedString()) }
}

func violations(_ payloads: [JSONValue]) -> [String] {
    AnthropicStreamChecker.violations(in: sseEvents(payloads)).map(\.description)
}

func violations(_ events: [SSEEvent]) -> [String] {
    AnthropicStreamChecker.violations(in: events).map(\.description)
}

/// An OpenAI chunk with one choice.
func chunk(
    content: String? = nil, reasoning: String? = nil, toolCalls: [JSONValue]? = nil, finish: String? = nil,
    usage: JSONValue? = nil
) -> JSONValue {
    var delta: JSONObject = [:]
    if let content { delta["content"] = .string(content) }
    if let reasoning { delta["reasoning_content"] = .string(reasoning) }
    if let toolCalls { delta["tool_calls"] = .array(toolCalls) }
    var object: JSONObject = [
        "id": "chatcmpl-1", "object": "chat.completion.chunk",
        "choices": [["index": 0, "delta": .object(delta), "finish_reason": finish.map(JSONValue.string) ?? .null]],
    ]
    if let usage { object["usage"] = usage }
    return .object(object)
}

/// One `tool_calls` fragment.
func toolFragment(_ index: Int, id: String? = nil, name: String? = nil, arguments: String? = nil) -> JSONValue {
    var function: JSONObject = [:]
    if let name { function["name"] = .string(name) }
    if let arguments { function["arguments"] = .string(arguments) }
    var call: JSONObject = ["index": .int(Int64(index))]
    if let id {
        call["id"] = .string(id)
        call["type"] = "function"
    }
    call["function"] = .object(function)
    return .object(call)
}

/// What a client rebuilds from an Anthropic stream.
struct AssembledMessage {
    struct Block: Equatable {
        var type: String
        var text = ""
        var id: String?
        var name: String?
        var signature: String?
    }

    var blocks: [Block] = []
    var stopReason: String?
    var usage: JSONValue?
    var error: JSONValue?
    var eventNames: [String] = []

    init(_ payloads: [JSONValue]) {
        for payload in payloads {
            let type = payload["type"]?.stringValue ?? ""
            eventNames.append(type)
            switch type {
            case "content_block_start":
                let block = payload["content_block"]
                blocks.append(
                    Block(
                        type: block?["type"]?.stringValue ?? "", text: block?["text"]?.stringValue ?? "",
                        id: block?["id"]?.stringValue, name: block?["name"]?.stringValue))
            case "content_block_delta":
                let delta = payload["delta"]
                let piece =
                    delta?["text"]?.stringValue ?? delta?["thinking"]?.stringValue ?? delta?["partial_json"]?
                    .stringValue
                    ?? ""
                blocks[blocks.count - 1].text += piece
                if let signature = delta?["signature"]?.stringValue { blocks[blocks.count - 1].signature = signature }
            case "message_delta":
                stopReason = payload["delta"]?["stop_reason"]?.stringValue
                usage = payload["usage"]
            case "error":
                error = payload["error"]
            default:
                break
            }
        }
    }

    init(_ events: [AnthropicStreamEvent]) {
        self.init(events.map(\.payload))
    }

    init(_ events: [SSEEvent]) {
        self.init(events.compactMap { try? JSONValue(parsing: $0.data) })
    }

    /// A tool_use block's input, parsed.
    func input(ofBlock index: Int) -> JSONValue? {
        let text = blocks[index].text
        return text.isEmpty ? [:] : try? JSONValue(parsing: text)
    }
}
