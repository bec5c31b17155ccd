import SSE
import Wire

/// The running state behind ``OpenAIResponsesStreamChecker``.
struct OpenAIResponsesStreamCheckState {
    struct Item {
        var type: String
        var outputIndex: Int
        var done = false
        /// Deltas joined, by content or summary index (function calls: 0).
        var streamed: [Int: String] = [:]
    }

    private(set) var violations: [String] = []
    private var items: [String: Item] = [:]
    private var added = 0
    private var doneIDs: [String] = []
    private var terminal: String?
    private var previousType: String?
    private var sawError = false

    private mutating func report(_ index: Int?, _ message: String) {
        violations.append(index.map { "event \($0): \(message)" } ?? "end of stream: \(message)")
    }

    mutating func check(_ event: SSEEvent, at index: Int) {
        if let terminal {
            report(index, "\(event.event ?? "unnamed event") after \(terminal)")
            return
        }
        guard let payload = try? JSONValue(parsing: event.data), case .object = payload else {
            report(index, "payload is not a JSON object: \(event.data.prefix(120))")
            return
        }
        let type = payload["type"]?.stringValue ?? ""
        defer { previousType = type }
        if event.event != type { report(index, "event name \(event.event ?? "(none)") but payload type \(type)") }
        if !OpenAIResponsesStreamChecker.eventNames.contains(type) { report(index, "unknown event type \(type)") }
        if payload["sequence_number"]?.intValue != index {
            report(index, "sequence_number \(payload["sequence_number"] ?? .null), expected \(index)")
        }
        if (index == 0) != (type == "response.created") {
            report(index, index == 0 ? "first event is \(type), not response.created" : "response.created again")
        }
        switch type {
        case "response.output_item.added": itemAdded(payload, at: index)
        case "response.output_item.done": itemDone(payload, at: index)
        case "response.content_part.added", "response.content_part.done":
            _ = item(payload, type: "message", at: index)
        case "response.output_text.delta", "response.refusal.delta":
            stream(payload, type: "message", key: "content_index", at: index)
        case "response.output_text.done":
            streamDone(payload, type: "message", key: "content_index", field: "text", at: index)
        case "response.reasoning_summary_part.added", "response.reasoning_summary_part.done":
            _ = item(payload, type: "reasoning", at: index)
        case "response.reasoning_summary_text.delta":
            stream(payload, type: "reasoning", key: "summary_index", at: index)
        case "response.reasoning_summary_text.done":
            streamDone(payload, type: "reasoning", key: "summary_index", field: "text", at: index)
        case "response.function_call_arguments.delta":
            stream(payload, type: "function_call", key: nil, at: index)
        case "response.function_call_arguments.done":
            streamDone(payload, type: "function_call", key: nil, field: "arguments", at: index)
            if let arguments = payload["arguments"]?.stringValue, (try? JSONValue(parsing: arguments)) == nil {
                report(index, "function call arguments are not JSON: \(arguments.prefix(120))")
            }
        case "error":
            sawError = true
            if payload["message"]?.stringValue == nil { report(index, "error without a message") }
        case "response.completed", "response.incomplete", "response.failed":
            terminate(type, payload, at: index)
        default:
            break
        }
    }

    mutating func checkEnd() {
        if terminal == nil {
            report(nil, "no response.completed, response.incomplete or response.failed")
        }
        if sawError && terminal != "response.failed" { report(nil, "an error not followed by response.failed") }
    }

    // MARK: Items

    private mutating func itemAdded(_ payload: JSONValue, at index: Int) {
        guard let id = payload["item"]?["id"]?.stringValue, let type = payload["item"]?["type"]?.stringValue else {
            report(index, "output item without id or type")
            return
        }
        if items[id] != nil { report(index, "item \(id) added twice") }
        let outputIndex = payload["output_index"]?.intValue ?? -1
        if outputIndex != added { report(index, "output_index \(outputIndex), expected \(added)") }
        added += 1
        items[id] = Item(type: type, outputIndex: outputIndex)
    }

    private mutating func itemDone(_ payload: JSONValue, at index: Int) {
        guard let id = payload["item"]?["id"]?.stringValue, var item = items[id] else {
            report(index, "done for an item never added: \(payload["item"]?["id"] ?? .null)")
            return
        }
        if item.done { report(index, "item \(id) done twice") }
        if payload["output_index"]?.intValue != item.outputIndex { report(index, "item \(id) done at another index") }
        if payload["item"]?["type"]?.stringValue != item.type { report(index, "item \(id) done as another type") }
        if item.type == "function_call", let streamed = item.streamed[0],
            payload["item"]?["arguments"]?.stringValue != streamed
        {
            report(index, "function call \(id) done with arguments other than its deltas")
        }
        item.done = true
        items[id] = item
        doneIDs.append(id)
    }

    /// The open item an event names, checked for type and output index.
    private mutating func item(_ payload: JSONValue, type: String, at index: Int) -> String? {
        let id = payload["item_id"]?.stringValue ?? ""
        guard let item = items[id] else {
            report(index, "\(payload["type"] ?? .null) for item \(id), never added")
            return nil
        }
        if item.done { report(index, "\(payload["type"] ?? .null) for item \(id) after its done") }
        if item.type != type { report(index, "\(payload["type"] ?? .null) for a \(item.type) item") }
        if payload["output_index"]?.intValue != item.outputIndex {
            report(index, "output_index \(payload["output_index"] ?? .null) for item \(id) at \(item.outputIndex)")
        }
        return id
    }

    private mutating func stream(_ payload: JSONValue, type: String, key: String?, at index: Int) {
        guard let id = item(payload, type: type, at: index) else { return }
        let part = key.flatMap { payload[$0]?.intValue } ?? 0
        guard let delta = payload["delta"]?.stringValue else {
            report(index, "delta is not a string")
            return
        }
        items[id]?.streamed[part, default: ""] += delta
    }

    private mutating func streamDone(_ payload: JSONValue, type: String, key: String?, field: String, at index: Int) {
        guard let id = item(payload, type: type, at: index) else { return }
        let part = key.flatMap { payload[$0]?.intValue } ?? 0
        let streamed = items[id]?.streamed[part] ?? ""
        if payload[field]?.stringValue != streamed {
            report(index, "\(payload["type"] ?? .null) \(field) differs from its deltas joined")
        }
        items[id]?.streamed[part] = streamed
    }

    // MARK: End

    private mutating func terminate(_ type: String, _ payload: JSONValue, at index: Int) {
        terminal = type
        let status = String(type.dropFirst("response.".count))
        if payload["response"]?["status"]?.stringValue != status {
            report(index, "\(type) with status \(payload["response"]?["status"] ?? .null)")
        }
        if type == "response.failed" {
            if previousType != "error" { report(index, "response.failed not right after an error event") }
            return
        }
        let unfinished = items.filter { !$0.value.done }.map(\.key).sorted()
        if !unfinished.isEmpty { report(index, "items never done: \(unfinished)") }
        let listed = (payload["response"]?["output"]?.arrayValue ?? []).map { $0["id"]?.stringValue ?? "" }
        if listed != doneIDs { report(index, "response output \(listed), but items done: \(doneIDs)") }
    }
}
