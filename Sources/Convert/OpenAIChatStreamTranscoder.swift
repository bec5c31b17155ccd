import Wire

/// OpenAI Chat Completions stream chunks -> Anthropic Messages stream events,
/// as a pure state machine: parsed chunks in, event payloads out, no I/O.
///
/// Each output is one event's JSON payload; its `type` is the SSE event name.
/// The output is always a valid Anthropic stream:
/// - `message_start` (usage `input_tokens` if known yet, else 0), then `ping`;
/// - blocks indexed from 0, each `content_block_start`, deltas, then
///   `content_block_stop` before the next one starts; never an empty text
///   block (empty or null `content` opens nothing), nor one of whitespace
///   alone (`"\n\n"` before a tool call: held until text follows it);
/// - `reasoning_content` becomes a `thinking` block; a `signature_delta` is
///   sent only for a signature the provider really sent;
/// - one `message_delta` with the stop reason and the usage, and
///   `message_stop`, only once the stream is over (`[DONE]` or the end), so a
///   usage chunk after `finish_reason` is still counted; then nothing more.
/// - an upstream error chunk, a failed connection or a stream that stops
///   without a `finish_reason` gives an `error` event, then nothing more.
///
/// Tool calls are assembled by their `index`. Only one block can be open, so
/// a call whose fragments arrive while another call's arguments are still
/// incomplete is buffered, and starts (with all it has so far) once the open
/// call's arguments form a complete JSON value, or at `finish_reason`.
/// Parallel calls that OpenAI streams one after another therefore stream
/// live, and interleaved ones stay correct. A call is also held until its
/// name is known (some providers send `id` and `name` after the first
/// argument fragments). Text arriving while a call is being held waits
/// behind it, so the output keeps the upstream's order.
public struct OpenAIChatStreamTranscoder: Sendable {
    /// What can hold the one open block, or wait for it.
    enum Segment: Sendable, Equatable {
        case text(String)
        case thinking(String)
        case tool(Int)
    }

    typealias BlockKind = AnthropicStreamEmitter.BlockKind

    struct ToolCall: Sendable {
        enum Status: Sendable { case pending, queued, open, closed }
        var id: String?
        var name: String?
        /// Argument text received but not yet sent.
        var buffered = ""
        var arguments = JSONCompletenessTracker()
        var status = Status.pending
    }

    /// Name used in error messages.
    let upstreamName: String
    /// Makes weak upstream ids unique.
    let ids: AnswerIDs
    /// The ids the answer's tool calls were given so far, so a repeated one is not given again.
    var toolUseIDs: Set<String> = []
    var emitter: AnthropicStreamEmitter
    var waiting: [Segment] = []
    /// Tool calls by slot: the upstream's `index`, unless that was reused.
    var toolCalls: [Int: ToolCall] = [:]
    var slotByIndex: [Int: Int] = [:]
    var finishReason: String?
    var matchedStop: String?
    var sawRefusal = false

    /// Anthropic usage from the latest upstream usage, nil until one arrives.
    public private(set) var usage: JSONObject?
    /// The reasoning tokens within `usage`'s output, when the upstream
    /// reported them: the pivot's ``AnthropicStreamEvent/MessageDelta/reasoningTokens``.
    private(set) var reasoningTokens: Int?

    /// True once `message_stop` or an `error` event has been produced.
    public var isFinished: Bool { emitter.isEnded }

    /// `requestedModel` is the model name the client asked for, reported in
    /// `message_start`; `upstreamName` names the upstream in error messages;
    /// `idSeed` (``RouteOptions/idSeed``) makes the upstream's weak ids unique.
    public init(requestedModel: String, upstreamName: String, idSeed: String? = nil) {
        emitter = AnthropicStreamEmitter(requestedModel: requestedModel)
        self.upstreamName = upstreamName
        ids = AnswerIDs(seed: idSeed)
    }

    /// One parsed `data:` payload (not `[DONE]`).
    public mutating func receive(chunk: JSONValue) -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        if let error = chunk["error"], !error.isNull {
            return fail(UpstreamErrorMapper.streamError(chunk, upstream: upstreamName))
        }
        return receive(OpenAIChatChunk(chunk))
    }

    /// A chunk that is not an error, as its tree or its bytes gave it.
    mutating func receive(_ chunk: OpenAIChatChunk) -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        var output: [AnthropicStreamEvent] = []
        if let mapped = chunk.usage {
            usage = mapped
            reasoningTokens = chunk.reasoningTokens
        }
        if !emitter.hasStarted && (chunk.hasChoices || usage != nil) {
            start(upstreamID: chunk.id, fallbackSeed: chunk.fallbackSeed ?? [:], into: &output)
        }
        for choice in chunk.choices { receive(choice: choice, into: &output) }
        return output
    }

    /// The upstream's `data: [DONE]`: the stream is over.
    public mutating func receiveDone() -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        // [DONE] is the upstream saying it finished, so a missing
        // finish_reason is inferred rather than reported as a cut stream.
        if finishReason == nil { finishReason = emitter.startedToolUse || !toolCalls.isEmpty ? "tool_calls" : "stop" }
        return finish(error: nil)
    }

    /// The upstream ended. With `error`, or without a `finish_reason` ever
    /// seen, the output is an `error` event; otherwise the remaining blocks
    /// close, then `message_delta` and `message_stop`.
    public mutating func finish(error: APIError?) -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        if let error { return fail(error) }
        guard let finishReason else {
            return fail(
                APIError.streamEndedEarly(upstream: upstreamName, before: "the message was finished"))
        }
        var output: [AnthropicStreamEvent] = []
        if !emitter.hasStarted { start(upstreamID: nil, fallbackSeed: [:], into: &output) }
        flushAll(includingUnnamed: true, into: &output)
        var stopReason = OpenAIChatResultMapping.stopReason(
            finishReason: finishReason, matchedStop: matchedStop, hasToolUse: emitter.startedToolUse)
        if sawRefusal && !emitter.startedToolUse { stopReason = "refusal" }
        emitter.finish(
            stopReason: stopReason, stopSequence: matchedStop, usage: usage, reasoningTokens: reasoningTokens,
            into: &output)
        return output
    }

    /// Ends the stream with an `error` event, whatever state it was in.
    public mutating func fail(_ error: APIError) -> [AnthropicStreamEvent] {
        emitter.fail(error)
    }

    private mutating func start(upstreamID: String?, fallbackSeed: JSONValue, into output: inout [AnthropicStreamEvent])
    {
        let messageID = ids.messageID(upstreamID: upstreamID, fallbackSeed: fallbackSeed)
        emitter.start(messageID: messageID, usage: usage, into: &output)
    }

    private mutating func receive(choice: OpenAIChatChunk.Choice, into output: inout [AnthropicStreamEvent]) {
        let delta = choice.delta
        if let reasoning = delta.reasoning, !reasoning.isEmpty {
            receive(.thinking(reasoning), into: &output)
        }
        if let signature = delta.signature { emitter.thinkingSignature = signature }
        if let text = delta.content, !text.isEmpty {
            receive(.text(text), into: &output)
        }
        if let refusal = delta.refusal, !refusal.isEmpty {
            sawRefusal = true
            receive(.text(refusal), into: &output)
        }
        for call in delta.toolCalls { receiveToolCall(call, into: &output) }
        if finishReason == nil, let reason = choice.finishReason {
            finishReason = reason
            matchedStop = choice.matchedStop
            flushAll(includingUnnamed: false, into: &output)
        }
    }
}
