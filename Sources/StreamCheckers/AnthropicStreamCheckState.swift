import SSE
import Wire

/// The running state behind ``AnthropicStreamChecker``.
struct AnthropicStreamCheckState {
    struct OpenBlock {
        var index: Int
        var type: String
        var text = ""
        var partialJSON = ""
    }

    private(set) var violations: [AnthropicStreamChecker.Violation] = []
    private var sawMessageStart = false
    private var sawMessageDelta = false
    private var ended = false
    private var nextIndex = 0
    private var open: OpenBlock?

    private mutating func report(_ index: Int?, _ message: String) {
        violations.append(.init(eventIndex: index, message: message))
    }

    mutating func check(_ event: SSEEvent, at index: Int) {
        if ended {
            report(index, "\(event.event ?? "unnamed event") after the stream ended")
            return
        }
        guard let payload = try? JSONValue(parsing: event.data), case .object = payload else {
            report(index, "payload is not a JSON object: \(event.data.prefix(120))")
            return
        }
        let type = payload["type"]?.stringValue ?? ""
        guard let name = event.event, AnthropicStreamChecker.eventNames.contains(name) else {
            report(index, "unknown or missing event name \(event.event ?? "(none)")")
            return
        }
        if name != type { report(index, "event name \(name) but payload type \(type)") }
        if name == "error" {
            checkError(payload, at: index)
            ended = true
            return
        }
        if !sawMessageStart && name != "message_start" {
            report(index, "\(name) before message_start")
        }
        switch name {
        case "message_start": checkMessageStart(payload, at: index)
        case "content_block_start": checkBlockStart(payload, at: index)
        case "content_block_delta": checkDelta(payload, at: index)
        case "content_block_stop": checkBlockStop(payload, at: index)
        case "message_delta": checkMessageDelta(payload, at: index)
        case "message_stop":
            if let open { report(index, "message_stop while block \(open.index) is open") }
            if !sawMessageDelta { report(index, "message_stop without a message_delta") }
            ended = true
        default:
            break
        }
    }

    mutating func checkEnd() {
        if !ended { report(nil, "the stream ends without message_stop or error") }
    }

    private mutating func checkError(_ payload: JSONValue, at index: Int) {
        if payload["error"]?["type"]?.stringValue == nil || payload["error"]?["message"]?.stringValue == nil {
            report(index, "error payload lacks error.type or error.message")
        }
    }

    private mutating func checkMessageStart(_ payload: JSONValue, at index: Int) {
        if sawMessageStart {
            report(index, "second message_start")
            return
        }
        if index != 0 { report(index, "message_start is not the first event") }
        sawMessageStart = true
        let message = payload["message"]
        if message?["type"]?.stringValue != "message" { report(index, "message_start.message.type is not message") }
        if message?["role"]?.stringValue != "assistant" { report(index, "message_start.message.role is not assistant") }
        if message?["id"]?.stringValue?.isEmpty ?? true { report(index, "message_start.message.id is missing") }
        if message?["content"]?.arrayValue?.isEmpty != true { report(index, "message_start content is not []") }
        if message?["usage"]?["input_tokens"]?.intValue == nil {
            report(index, "message_start.message.usage.input_tokens is not an integer")
        }
    }

    private mutating func checkBlockStart(_ payload: JSONValue, at index: Int) {
        let blockIndex = payload["index"]?.intValue ?? -1
        if let open { report(index, "block \(blockIndex) starts while block \(open.index) is open") }
        if blockIndex != nextIndex { report(index, "block index \(blockIndex), expected \(nextIndex)") }
        // An index at Int's limit (a garbled stream's) is reported above; one more trapped.
        if blockIndex < .max { nextIndex = max(nextIndex, blockIndex + 1) }
        let block = payload["content_block"]
        let type = block?["type"]?.stringValue ?? ""
        var opened = OpenBlock(index: blockIndex, type: type)
        switch type {
        case "text":
            opened.text = block?["text"]?.stringValue ?? ""
        case "thinking", "redacted_thinking", "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
            "code_execution_tool_result", "container_upload":
            break
        case "tool_use":
            if block?["id"]?.stringValue?.isEmpty ?? true { report(index, "tool_use block without an id") }
            if block?["name"]?.stringValue?.isEmpty ?? true { report(index, "tool_use block without a name") }
            if block?["input"]?.objectValue?.isEmpty != true { report(index, "tool_use block input is not {}") }
        default:
            report(index, "unknown content block type \(type)")
        }
        open = opened
    }

    private mutating func checkDelta(_ payload: JSONValue, at index: Int) {
        let blockIndex = payload["index"]?.intValue ?? -1
        guard var block = open, block.index == blockIndex else {
            report(index, "delta for block \(blockIndex), which is not open")
            return
        }
        let delta = payload["delta"]
        let deltaType = delta?["type"]?.stringValue ?? ""
        let fits: Bool
        switch deltaType {
        case "text_delta":
            fits = block.type == "text"
            block.text += delta?["text"]?.stringValue ?? ""
        case "citations_delta":
            fits = block.type == "text"
        case "thinking_delta", "signature_delta":
            fits = block.type == "thinking"
        case "input_json_delta":
            fits = block.type == "tool_use" || block.type == "server_tool_use"
            block.partialJSON += delta?["partial_json"]?.stringValue ?? ""
        default:
            fits = false
        }
        if !fits { report(index, "\(deltaType) in a \(block.type) block") }
        open = block
    }

    private mutating func checkBlockStop(_ payload: JSONValue, at index: Int) {
        let blockIndex = payload["index"]?.intValue ?? -1
        guard let block = open, block.index == blockIndex else {
            report(index, "content_block_stop for block \(blockIndex), which is not open")
            return
        }
        if block.type == "text" && block.text.isEmpty { report(index, "empty text block \(blockIndex)") }
        if block.type == "tool_use" && !block.partialJSON.isEmpty {
            let parsed = try? JSONValue(parsing: block.partialJSON)
            if parsed?.objectValue == nil {
                report(
                    index, "tool_use block \(blockIndex) input is not a JSON object: \(block.partialJSON.prefix(120))")
            }
        }
        open = nil
    }

    private mutating func checkMessageDelta(_ payload: JSONValue, at index: Int) {
        if sawMessageDelta { report(index, "second message_delta") }
        sawMessageDelta = true
        if let open { report(index, "message_delta while block \(open.index) is open") }
        let stopReason = payload["delta"]?["stop_reason"]?.stringValue ?? "(none)"
        if !AnthropicStreamChecker.stopReasons.contains(stopReason) {
            report(index, "message_delta stop_reason \(stopReason) is not an Anthropic stop reason")
        }
        if payload["usage"]?["output_tokens"]?.intValue == nil {
            report(index, "message_delta.usage.output_tokens is not an integer")
        }
    }
}
