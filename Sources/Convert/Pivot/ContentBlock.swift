import Wire

/// A content block as it opens in an Anthropic stream (`content_block_start`'s
/// `content_block`) or stands in a message's `content`.
///
/// The cases are the blocks the converters act on; anything else (a server
/// tool's result, a newer block type) is kept whole as ``unknown(_:)`` and
/// written back exactly as it came.
public enum ContentBlock: Sendable, Hashable {
    case text(String)
    /// Visible reasoning and the signature that lets it be sent back.
    case thinking(thinking: String, signature: String)
    /// Reasoning the provider only returns encrypted.
    case redactedThinking(data: String)
    /// A call of a client-defined tool. `input` is `{}` at a stream's start.
    case toolUse(id: String, name: String, input: JSONValue)
    /// A call of a tool the provider runs itself (web search, code execution).
    case serverToolUse(id: String, name: String, input: JSONValue)
    case unknown(JSONValue)

    /// Reads one block; a block whose known type lacks a required field is
    /// kept as ``unknown(_:)`` rather than guessed at.
    public init(json: JSONValue) {
        switch json["type"]?.stringValue {
        case "text":
            guard let text = json["text"]?.stringValue else { self = .unknown(json); return }
            self = .text(text)
        case "thinking":
            guard let thinking = json["thinking"]?.stringValue else { self = .unknown(json); return }
            self = .thinking(thinking: thinking, signature: json["signature"]?.stringValue ?? "")
        case "redacted_thinking":
            guard let data = json["data"]?.stringValue else { self = .unknown(json); return }
            self = .redactedThinking(data: data)
        case "tool_use", "server_tool_use":
            guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue else {
                self = .unknown(json)
                return
            }
            let input = json["input"] ?? [:]
            self =
                json["type"] == "tool_use"
                ? .toolUse(id: id, name: name, input: input) : .serverToolUse(id: id, name: name, input: input)
        default:
            self = .unknown(json)
        }
    }

    /// The block as Anthropic writes it.
    public var json: JSONValue {
        switch self {
        case .text(let text): ["type": "text", "text": .string(text)]
        case .thinking(let thinking, let signature):
            ["type": "thinking", "thinking": .string(thinking), "signature": .string(signature)]
        case .redactedThinking(let data): ["type": "redacted_thinking", "data": .string(data)]
        case .toolUse(let id, let name, let input):
            ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
        case .serverToolUse(let id, let name, let input):
            ["type": "server_tool_use", "id": .string(id), "name": .string(name), "input": input]
        case .unknown(let json): json
        }
    }
}
