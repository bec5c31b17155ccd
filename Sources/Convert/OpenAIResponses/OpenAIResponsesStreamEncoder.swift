import SSE
import Wire

/// Pivot (Anthropic) stream events -> OpenAI Responses streaming events, as
/// a pure state machine.
///
/// Every frame is `event: <type>` with a compact JSON payload that starts
/// with `type` and `sequence_number` (0, 1, 2, ...). The order is the one
/// OpenAI documents and sends:
/// - `response.created`, `response.in_progress` (at `message_start`, or
///   before whatever comes first);
/// - per text block, one `message` item: `response.output_item.added`,
///   `response.content_part.added`, `response.output_text.delta`*,
///   `response.output_text.done`, `response.content_part.done`,
///   `response.output_item.done`;
/// - per thinking block, one `reasoning` item: `output_item.added`, then,
///   once there is summary text, `response.reasoning_summary_part.added`,
///   `response.reasoning_summary_text.delta`*, `..._text.done`,
///   `..._part.done`; then `output_item.done`, carrying `encrypted_content`
///   when the signature holds some (a reasoning item with no summary has no
///   summary part, as at OpenAI);
/// - per tool_use block, one `function_call` item: `output_item.added`
///   (`arguments: ""`), `response.function_call_arguments.delta`*,
///   `..._arguments.done`, `output_item.done`;
/// - at `message_stop`, `response.completed` (or `response.incomplete` after
///   a `max_tokens` or `refusal` stop) with the whole response, shaped as
///   ``OpenAIResponsesClientCodec/encodeResponse(_:requestedModel:createdAt:)`` shapes it;
/// - at an `error`, an `error` event and then `response.failed`.
///
/// Blocks Responses has no item for (redacted thinking, server tools,
/// unknown blocks), `ping` and unknown events write nothing.
public struct OpenAIResponsesStreamEncoder: ClientStreamEncoder {
    /// The output item being streamed: one per Anthropic block.
    struct OpenItem: Sendable {
        enum Kind: Sendable {
            case message
            case reasoning
            case functionCall(callID: String, name: String)
        }

        var kind: Kind
        var id: String
        var outputIndex: Int
        /// The Anthropic block index it comes from.
        var blockIndex: Int
        /// The text, the summary text or the arguments so far.
        var text = ""
        var signature: String?
        /// A `redacted_thinking` block's data, for the reasoning item made of it.
        var redactedData: String?
        /// Whether a reasoning item's summary part has been added.
        var summaryOpen = false
    }

    let requestedModel: String
    /// Every `response` object's `created_at`, Unix seconds.
    let createdAt: Int64
    var sequenceNumber = 0
    var messageID = "msg_proxy"
    var started = false
    var finished = false
    var open: OpenItem?
    /// Finished output items' JSON, in order, for the final response object.
    var output: [[UInt8]] = []
    var addedItems = 0
    /// Anthropic usage: `message_start`'s, updated by `message_delta`'s.
    var usage: JSONObject = [:]
    /// The reasoning tokens within the usage's output, when the upstream counted them.
    var reasoningTokens: Int?
    var stopReason: String?

    /// - Parameter createdAt: when the request came, Unix seconds: the
    ///   `response` objects' `created_at`.
    public init(requestedModel: String, createdAt: Int64) {
        self.requestedModel = requestedModel
        self.createdAt = createdAt
    }

    public mutating func encode(_ event: AnthropicStreamEvent, into frames: inout SSEFrames) {
        guard !finished else { return }
        switch event {
        case .messageStart(let start):
            // A repeated message_start (some upstreams send two) changes nothing.
            guard !started else { return }
            if !start.id.isEmpty { messageID = start.id }
            TokenCount.merge(start.usage, into: &usage)
            begin(into: &frames)
        case .contentBlockStart(let index, let block):
            begin(into: &frames)
            closeItem(into: &frames)
            openItem(block, index: index, into: &frames)
        case .contentBlockDelta(let index, let delta):
            guard open?.blockIndex == index else { return }
            receive(delta, into: &frames)
        case .contentBlockStop(let index):
            guard open?.blockIndex == index else { return }
            closeItem(into: &frames)
        case .messageDelta(let delta):
            if let reason = delta.stopReason { stopReason = reason }
            TokenCount.merge(delta.usage, into: &usage)
            if let reasoning = delta.reasoningTokens { reasoningTokens = reasoning }
        case .messageStop:
            begin(into: &frames)
            closeItem(into: &frames)
            complete(into: &frames)
        case .error(let error):
            begin(into: &frames)
            fail(error, into: &frames)
        case .ping, .unknown:
            break
        }
    }

    // MARK: Frames

    /// Writes one event: `type` and `sequence_number` first, then `fields`.
    mutating func emit(_ type: StaticString, _ fields: JSONObject, into frames: inout SSEFrames) {
        emit(type, into: &frames) { Self.writeMembers(fields, to: &$0) }
    }

    /// Writes one event: `type` and `sequence_number` first, then the
    /// members `writeFields` writes, each after a comma. Written straight
    /// into the frames' bytes: building each event as a ``JSONValue`` tree
    /// and serializing it was the larger part of a converted stream's cost,
    /// and an ``SSEEvent`` per frame copied its text twice more.
    /// - Parameters:
    ///   - type: the event's type, a name with nothing to escape (written
    ///     as it is).
    ///   - size: the size of the fields' variable text, if known.
    mutating func emit(
        _ type: StaticString, reserving size: Int = 0, into frames: inout SSEFrames,
        fields writeFields: (inout [UInt8]) -> Void
    ) {
        frames.append(event: type, reserving: size + 128) { [sequenceNumber] bytes in
            JSONValue.writeVerbatim(#"{"type":""#, to: &bytes)
            JSONValue.writeVerbatim(type, to: &bytes)
            JSONValue.writeVerbatim(#"","sequence_number":"#, to: &bytes)
            JSONValue.writeInteger(Int64(sequenceNumber), to: &bytes)
            writeFields(&bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        sequenceNumber += 1
    }

    /// `,"key":value` for each member of `fields`.
    static func writeMembers(_ fields: JSONObject, to bytes: inout [UInt8]) {
        for member in fields {
            bytes.append(UInt8(ascii: ","))
            JSONValue.writeString(member.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            member.value.write(to: &bytes)
        }
    }

    private var responseID: String { OpenAIResponsesClientItems.responseID(messageID: messageID) }

    private mutating func begin(into frames: inout SSEFrames) {
        guard !started else { return }
        started = true
        // Both events carry the same object: it is written once.
        let id = responseID
        let (model, createdAt) = (requestedModel, createdAt)
        var response: [UInt8] = []
        response.reserveCapacity(id.utf8.count + model.utf8.count + 192)
        OpenAIResponsesStreamTemplates.inProgressResponse.write(to: &response) { hole, bytes in
            switch hole {
            case 0: JSONValue.writeString(id, to: &bytes)
            case 1: JSONValue.writeString(model, to: &bytes)
            default: JSONValue.writeInteger(createdAt, to: &bytes)
            }
        }
        for type: StaticString in ["response.created", "response.in_progress"] {
            emit(type, reserving: response.count, into: &frames) { bytes in
                JSONValue.writeVerbatim(#","response":"#, to: &bytes)
                bytes += response
            }
        }
    }

    /// Null values (a `message_delta` that does not know the input count)
    /// leave what `message_start` said.
    private mutating func complete(into frames: inout SSEFrames) {
        finished = true
        let reason = OpenAIResponsesClientItems.incompleteReason(stopReason: stopReason)
        let incomplete = reason != nil
        let template =
            switch reason {
            case nil: OpenAIResponsesStreamTemplates.completedResponse
            case "content_filter": OpenAIResponsesStreamTemplates.refusedResponse
            default: OpenAIResponsesStreamTemplates.incompleteResponse
            }
        let id = responseID
        let (model, createdAt) = (requestedModel, createdAt)
        let counts = TokenCount.Inclusive(usage, reasoning: reasoningTokens)
        let usageValues = [counts.input, counts.cached, counts.output, counts.total, counts.reasoning ?? 0]
            .map(Int64.init)
        let size = output.reduce(512) { $0 + $1.count }
        let type: StaticString = incomplete ? "response.incomplete" : "response.completed"
        emit(type, reserving: size, into: &frames) { [output] bytes in
            JSONValue.writeVerbatim(#","response":"#, to: &bytes)
            template.write(to: &bytes) { hole, bytes in
                switch hole {
                case 0: JSONValue.writeString(id, to: &bytes)
                case 1: JSONValue.writeString(model, to: &bytes)
                case 2: Self.writeItems(output, to: &bytes)
                case 4: JSONValue.writeInteger(createdAt, to: &bytes)
                default:
                    OpenAIResponsesStreamTemplates.usage.write(to: &bytes) {
                        JSONValue.writeInteger(usageValues[$0], to: &$1)
                    }
                }
            }
        }
    }

    /// `error` then `response.failed`. Items still open stay unfinished, as
    /// at OpenAI; the failed response lists the finished ones.
    private mutating func fail(_ error: APIError, into frames: inout SSEFrames) {
        finished = true
        let code = JSONValue.string(error.openAICode)
        emit("error", error.responsesEventMembers, into: &frames)
        let response = OpenAIResponsesClientItems.response(
            id: responseID, model: requestedModel, createdAt: .int(createdAt), status: "failed", output: [],
            usage: usage.isEmpty ? .null : OpenAIResponsesClientItems.usage(usage, reasoning: reasoningTokens),
            error: ["code": code, "message": .string(error.message)])
        emit("response.failed", reserving: 512, into: &frames) { [output] bytes in
            JSONValue.writeVerbatim(#","response":"#, to: &bytes)
            Self.write(response, output: output, to: &bytes)
        }
    }

    /// `response`, built with an empty `output`, with the finished items'
    /// JSON as its output: they were serialized for their
    /// `output_item.done` events, and serializing them again as part of the
    /// whole response was a fifth of the encoder's work.
    static func write(_ response: JSONValue, output: [[UInt8]], to bytes: inout [UInt8]) {
        guard case .object(let object) = response else { return response.write(to: &bytes) }
        bytes.append(UInt8(ascii: "{"))
        for (index, member) in object.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.writeString(member.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            guard member.key == "output" else {
                member.value.write(to: &bytes)
                continue
            }
            bytes.append(UInt8(ascii: "["))
            writeItems(output, to: &bytes)
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The items' JSON, comma-separated.
    private static func writeItems(_ items: [[UInt8]], to bytes: inout [UInt8]) {
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += item
        }
    }
}
