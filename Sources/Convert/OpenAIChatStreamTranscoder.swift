import Wire

/// OpenAI Chat Completions stream chunks -> Anthropic Messages stream events,
/// as a pure state machine: parsed chunks in, event payloads out, no I/O.
///
/// Each output is one event's JSON payload; its `type` is the SSE event name.
/// The output is always a valid Anthropic stream:
/// - `message_start` (usage `input_tokens` if known yet, else 0), then `ping`;
/// - blocks indexed from 0, each `content_block_start`, deltas, then
///   `content_block_stop` before the next one starts; never an empty text
///   block (empty or null `content` opens nothing);
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

    enum BlockKind: Sendable, Equatable {
        case text
        case thinking
        case tool(Int)
    }

    struct ToolCall: Sendable {
        enum Status: Sendable { case pending, queued, open, closed }
        var id: String?
        var name: String?
        /// Argument text received but not yet sent.
        var buffered = ""
        var arguments = JSONCompletenessTracker()
        var status = Status.pending
    }

    enum Phase: Sendable { case waitingForFirstChunk, streaming, ended }

    /// Name used in error messages.
    let upstreamName: String
    let requestedModel: String
    var phase = Phase.waitingForFirstChunk
    var messageID = ""
    var nextBlockIndex = 0
    var open: (kind: BlockKind, index: Int)?
    var waiting: [Segment] = []
    /// Tool calls by slot: the upstream's `index`, unless that was reused.
    var toolCalls: [Int: ToolCall] = [:]
    var slotByIndex: [Int: Int] = [:]
    var startedToolUse = false
    var thinkingSignature: String?
    var finishReason: String?
    var matchedStop: String?
    var sawRefusal = false

    /// Anthropic usage from the latest upstream usage, nil until one arrives.
    public private(set) var usage: JSONObject?

    /// True once `message_stop` or an `error` event has been produced.
    public var isFinished: Bool { phase == .ended }

    /// `requestedModel` is the model name the client asked for, reported in
    /// `message_start`; `upstreamName` names the upstream in error messages.
    public init(requestedModel: String, upstreamName: String) {
        self.requestedModel = requestedModel
        self.upstreamName = upstreamName
    }

    /// One parsed `data:` payload (not `[DONE]`).
    public mutating func receive(chunk: JSONValue) -> [JSONValue] {
        guard phase != .ended else { return [] }
        var output: [JSONValue] = []
        if let error = chunk["error"], !error.isNull {
            return fail(UpstreamErrorMapper.streamError(chunk, upstream: upstreamName))
        }
        if let upstreamUsage = chunk["usage"], let mapped = OpenAIChatResultMapping.anthropicUsage(upstreamUsage) {
            usage = mapped
        }
        let choices = chunk["choices"]?.arrayValue ?? []
        if phase == .waitingForFirstChunk && (!choices.isEmpty || usage != nil) {
            start(chunk: chunk, into: &output)
        }
        for choice in choices where (choice["index"]?.intValue ?? 0) == 0 {
            receive(choice: choice, into: &output)
        }
        return output
    }

    /// The upstream's `data: [DONE]`: the stream is over.
    public mutating func receiveDone() -> [JSONValue] {
        guard phase != .ended else { return [] }
        // [DONE] is the upstream saying it finished, so a missing
        // finish_reason is inferred rather than reported as a cut stream.
        if finishReason == nil { finishReason = startedToolUse || !toolCalls.isEmpty ? "tool_calls" : "stop" }
        return finish(error: nil)
    }

    /// The upstream ended. With `error`, or without a `finish_reason` ever
    /// seen, the output is an `error` event; otherwise the remaining blocks
    /// close, then `message_delta` and `message_stop`.
    public mutating func finish(error: APIError?) -> [JSONValue] {
        guard phase != .ended else { return [] }
        if let error { return fail(error) }
        guard let finishReason else {
            return fail(
                APIError(
                    status: 502, type: "api_error",
                    message: "upstream \(upstreamName) stream ended early, before the message was finished"))
        }
        var output: [JSONValue] = []
        if phase == .waitingForFirstChunk { start(chunk: [:], into: &output) }
        flushAll(includingUnnamed: true, into: &output)
        var stopReason = OpenAIChatResultMapping.stopReason(
            finishReason: finishReason, matchedStop: matchedStop, hasToolUse: startedToolUse)
        if sawRefusal && !startedToolUse { stopReason = "refusal" }
        output.append([
            "type": "message_delta",
            "delta": [
                "stop_reason": .string(stopReason),
                "stop_sequence": stopReason == "stop_sequence" ? .string(matchedStop ?? "") : .null,
            ],
            "usage": .object(usage ?? ["output_tokens": 0]),
        ])
        output.append(["type": "message_stop"])
        phase = .ended
        return output
    }

    /// Ends the stream with an `error` event, whatever state it was in.
    public mutating func fail(_ error: APIError) -> [JSONValue] {
        guard phase != .ended else { return [] }
        phase = .ended
        return [error.rendered(in: .anthropic)]
    }

    private mutating func start(chunk: JSONValue, into output: inout [JSONValue]) {
        phase = .streaming
        messageID = OpenAIChatResultMapping.messageID(upstreamID: chunk["id"]?.stringValue, fallbackSeed: chunk)
        var startUsage: JSONObject = ["input_tokens": 0, "output_tokens": 0]
        if let usage {
            startUsage = usage
            startUsage["output_tokens"] = 0
        }
        output.append([
            "type": "message_start",
            "message": [
                "id": .string(messageID), "type": "message", "role": "assistant", "model": .string(requestedModel),
                "content": [], "stop_reason": nil, "stop_sequence": nil, "usage": .object(startUsage),
            ],
        ])
        output.append(["type": "ping"])
    }

    private mutating func receive(choice: JSONValue, into output: inout [JSONValue]) {
        let delta = choice["delta"] ?? [:]
        if let reasoning = OpenAIChatResultMapping.reasoningText(delta), !reasoning.isEmpty {
            receive(.thinking(reasoning), into: &output)
        }
        if let signature = OpenAIChatResultMapping.reasoningSignature(delta) { thinkingSignature = signature }
        if let text = OpenAIChatResultMapping.contentText(delta["content"]), !text.isEmpty {
            receive(.text(text), into: &output)
        }
        if let refusal = delta["refusal"]?.stringValue, !refusal.isEmpty {
            sawRefusal = true
            receive(.text(refusal), into: &output)
        }
        for (position, call) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
            // Mistral omits `index` when it sends whole calls at once.
            receiveToolCall(call, index: call["index"]?.intValue ?? position, into: &output)
        }
        if finishReason == nil, let reason = choice["finish_reason"]?.stringValue {
            finishReason = reason
            matchedStop = OpenAIChatResultMapping.matchedStopSequence(choice: choice)
            flushAll(includingUnnamed: false, into: &output)
        }
    }
}
