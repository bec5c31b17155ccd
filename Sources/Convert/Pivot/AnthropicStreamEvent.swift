import SSE
import Wire

/// One event of an Anthropic Messages stream: the pivot every upstream
/// stream is decoded into and every client stream is encoded from.
///
/// Transcoders emit these; ``AnthropicStreamEvent/sseEvent`` writes one for
/// an Anthropic client and the other dialects' stream encoders turn them into
/// their own frames. An event the pivot does not model is ``unknown(_:)``
/// and travels untouched, so nothing a newer provider sends is lost on the
/// way to an Anthropic client.
public enum AnthropicStreamEvent: Sendable, Hashable {
    case messageStart(MessageStart)
    case contentBlockStart(index: Int, block: ContentBlock)
    case contentBlockDelta(index: Int, delta: BlockDelta)
    case contentBlockStop(index: Int)
    case messageDelta(MessageDelta)
    case messageStop
    case ping
    /// The stream failed; nothing follows.
    case error(APIError)
    /// An event of a type the pivot does not know, as its payload.
    case unknown(JSONValue)

    /// `message_start`'s message. The whole object is kept (an Anthropic
    /// upstream may add members); the fields the converters use are typed.
    public struct MessageStart: Sendable, Hashable {
        public var message: JSONObject

        /// The message every transcoder starts: no content yet, no stop reason.
        public init(id: String, model: String, usage: JSONObject) {
            message = [
                "id": .string(id), "type": "message", "role": "assistant", "model": .string(model),
                "content": [], "stop_reason": nil, "stop_sequence": nil, "usage": .object(usage),
            ]
        }

        public init(message: JSONObject) {
            self.message = message
        }

        public var id: String { message["id"]?.stringValue ?? "" }
        public var model: String { message["model"]?.stringValue ?? "" }
        /// Input tokens (and cache counts) as far as known at the start.
        public var usage: JSONObject { message["usage"]?.objectValue ?? [:] }
    }

    /// `message_delta`: how the message stopped, and the final usage.
    public struct MessageDelta: Sendable, Hashable {
        /// `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, `pause_turn`, `refusal`.
        public var stopReason: String?
        public var stopSequence: String?
        /// Anthropic usage: `output_tokens`, and input and cache counts when known.
        public var usage: JSONObject
        /// The output tokens spent on reasoning, within `usage`'s
        /// `output_tokens`, when the upstream counted them apart (OpenAI's
        /// `reasoning_tokens`, Gemini's `thoughtsTokenCount`). Anthropic's
        /// usage has no such member, so it is kept out of ``payload``: an
        /// Anthropic client's frame stays as it was, while OpenAI and
        /// Gemini clients get the count in their own field.
        public var reasoningTokens: Int?

        public init(stopReason: String?, stopSequence: String?, usage: JSONObject, reasoningTokens: Int? = nil) {
            self.stopReason = stopReason
            self.stopSequence = stopSequence
            self.usage = usage
            self.reasoningTokens = reasoningTokens
        }
    }

    /// The SSE event name, which Anthropic SDKs dispatch on.
    public var name: String {
        if case .unknown(let payload) = self {
            return SSEEvent.lineSafeName(payload["type"]?.stringValue) ?? "message"
        }
        return frameName.description
    }

    /// ``name`` as a constant (an ``unknown(_:)`` event's: "message"), for
    /// a frame written straight into its bytes.
    var frameName: StaticString {
        switch self {
        case .messageStart: "message_start"
        case .contentBlockStart: "content_block_start"
        case .contentBlockDelta: "content_block_delta"
        case .contentBlockStop: "content_block_stop"
        case .messageDelta: "message_delta"
        case .messageStop: "message_stop"
        case .ping: "ping"
        case .error: "error"
        case .unknown: "message"
        }
    }

    /// The event's payload as Anthropic writes it.
    public var payload: JSONValue {
        switch self {
        case .messageStart(let start):
            ["type": "message_start", "message": .object(start.message)]
        case .contentBlockStart(let index, let block):
            ["type": "content_block_start", "index": .int(Int64(index)), "content_block": block.json]
        case .contentBlockDelta(let index, let delta):
            ["type": "content_block_delta", "index": .int(Int64(index)), "delta": delta.json]
        case .contentBlockStop(let index):
            ["type": "content_block_stop", "index": .int(Int64(index))]
        case .messageDelta(let delta):
            [
                "type": "message_delta",
                "delta": [
                    "stop_reason": delta.stopReason.map(JSONValue.string) ?? .null,
                    "stop_sequence": delta.stopSequence.map(JSONValue.string) ?? .null,
                ],
                "usage": .object(delta.usage),
            ]
        case .messageStop: ["type": "message_stop"]
        case .ping: ["type": "ping"]
        case .error(let error): error.rendered(in: .anthropic)
        case .unknown(let payload): payload
        }
    }

    /// The frame an Anthropic client gets.
    /// A `content_block_*` event: content, which a client dialect whose
    /// finish must come last (OpenAI's finish chunk, Gemini's finish
    /// candidate) cannot take once the finish is out.
    public var isContentBlockEvent: Bool {
        switch self {
        case .contentBlockStart, .contentBlockDelta, .contentBlockStop: true
        default: false
        }
    }

    public var sseEvent: SSEEvent {
        SSEEvent(event: name, data: payload.serializedString())
    }

    /// Reads one Anthropic event payload. Known types with a missing or
    /// mistyped field are ``unknown(_:)``, never guessed at; an `error`
    /// event's status is the one its error type stands for.
    public init(payload: JSONValue) {
        let index = payload["index"]?.intValue
        switch payload["type"]?.stringValue {
        case "message_start":
            guard let message = payload["message"]?.objectValue else { self = .unknown(payload); return }
            self = .messageStart(MessageStart(message: message))
        case "content_block_start":
            guard let index, let block = payload["content_block"] else { self = .unknown(payload); return }
            self = .contentBlockStart(index: index, block: ContentBlock(json: block))
        case "content_block_delta":
            guard let index, let delta = payload["delta"] else { self = .unknown(payload); return }
            self = .contentBlockDelta(index: index, delta: BlockDelta(json: delta))
        case "content_block_stop":
            guard let index else { self = .unknown(payload); return }
            self = .contentBlockStop(index: index)
        case "message_delta":
            let delta = payload["delta"]
            self = .messageDelta(
                MessageDelta(
                    stopReason: delta?["stop_reason"]?.stringValue, stopSequence: delta?["stop_sequence"]?.stringValue,
                    usage: payload["usage"]?.objectValue ?? [:]))
        case "message_stop": self = .messageStop
        case "ping": self = .ping
        case "error":
            self = .error(APIError(anthropicErrorBody: payload))
        default:
            self = .unknown(payload)
        }
    }
}
