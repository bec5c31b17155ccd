import SSE
import Wire

/// Folds an Anthropic Messages event stream into the message it describes:
/// text and thinking deltas merged, tool-call JSON reassembled and parsed,
/// `message_delta` fields and usage applied. Two streams that tell the same
/// story in different pieces fold to the same value; that is the
/// `--level semantic` comparison.
struct AnthropicStreamFolder {
    private var message = JSONObject()
    private var content: [JSONObject] = []
    private var partialJSON: [Int: String] = [:]
    private var extraEvents: [JSONValue] = []

    /// The folded message: the `message_start` message with `content`,
    /// `stop_reason`, `usage` and any `error` filled in, plus `other_events`
    /// for event names it does not know.
    static func fold(_ events: [SSEEvent]) -> JSONValue {
        var folder = AnthropicStreamFolder()
        for event in events { folder.receive(event) }
        return folder.result
    }

    var result: JSONValue {
        var folded = message
        folded["content"] = .array(content.map(JSONValue.object))
        if !extraEvents.isEmpty { folded["other_events"] = .array(extraEvents) }
        return .object(folded)
    }

    /// How far past the blocks seen a start may open one (the gap filled
    /// with empty blocks).
    static let maxIndexGap = 1024

    mutating func receive(_ event: SSEEvent) {
        let data = (try? JSONValue(parsing: event.data)) ?? .string(event.data)
        let index = data["index"]?.intValue
        switch event.event ?? data["type"]?.stringValue {
        case "message_start":
            message = data["message"]?.objectValue ?? [:]
            content = message["content"]?.arrayValue?.compactMap(\.objectValue) ?? []
        case "content_block_start":
            // The index is the cassette's number: -1 trapped, and 1e9 padded until memory ran out.
            guard let index, (0...content.count + Self.maxIndexGap).contains(index),
                let block = data["content_block"]?.objectValue
            else { break }
            while content.count <= index { content.append([:]) }
            content[index] = block
        case "content_block_delta":
            guard let index, content.indices.contains(index), let delta = data["delta"] else { break }
            applyDelta(delta, at: index)
        case "content_block_stop":
            guard let index, content.indices.contains(index), let partial = partialJSON.removeValue(forKey: index)
            else { break }
            content[index]["input"] = (try? JSONValue(parsing: partial)) ?? .string(partial)
        case "message_delta":
            for member in data["delta"]?.objectValue?.members ?? [] { message[member.key] = member.value }
            if let usage = data["usage"]?.objectValue {
                var merged = message["usage"]?.objectValue ?? [:]
                for member in usage.members { merged[member.key] = member.value }
                message["usage"] = .object(merged)
            }
        case "error":
            message["error"] = data["error"] ?? data
        case "ping", "message_stop":
            break
        default:
            extraEvents.append(["event": event.event.map(JSONValue.string) ?? .null, "data": data])
        }
    }

    private mutating func applyDelta(_ delta: JSONValue, at index: Int) {
        func append(_ field: String, _ piece: String?) {
            guard let piece else { return }
            content[index][field] = .string((content[index][field]?.stringValue ?? "") + piece)
        }
        switch delta["type"]?.stringValue {
        case "text_delta": append("text", delta["text"]?.stringValue)
        case "thinking_delta": append("thinking", delta["thinking"]?.stringValue)
        case "signature_delta": append("signature", delta["signature"]?.stringValue)
        case "input_json_delta": partialJSON[index, default: ""] += delta["partial_json"]?.stringValue ?? ""
        case "citations_delta":
            if let citation = delta["citation"] {
                content[index]["citations"] = .array((content[index]["citations"]?.arrayValue ?? []) + [citation])
            }
        default:
            var unknown = content[index]["unknown_deltas"]?.arrayValue ?? []
            unknown.append(delta)
            content[index]["unknown_deltas"] = .array(unknown)
        }
    }
}
