import Wire

/// OpenAI Responses stream events -> Anthropic Messages stream events, as a
/// pure state machine: parsed events in, event payloads out, no I/O.
///
/// - `response.created` gives `message_start` (id `msg_` + the response id,
///   made unique when weak: ``AnswerIDs``) and `ping`;
/// - `response.output_text.delta` (and `refusal.delta`) stream into text
///   blocks; `reasoning_summary_text.delta` / `reasoning_text.delta` into
///   thinking blocks; a reasoning item's `encrypted_content` closes its
///   thinking block as the signature (see ``OpenAIResponsesReasoningSignature``),
///   in a text-less thinking block when no summary was streamed;
/// - a `function_call` item opens a `tool_use` block (id = `call_id`, or a
///   unique one when it is weak or repeated) and its
///   `function_call_arguments.delta`s stream into it; the block closes at
///   the item's `done`. The `parallel` wrapper is held until done and then
///   becomes one `tool_use` per wrapped call;
/// - OpenAI streams items one after another; should anything arrive for
///   another item while a call is open, it waits until that call is done, so
///   a tool call's JSON is never cut by another block;
/// - `response.completed` / `response.incomplete` close everything and give
///   `message_delta` (stop reason, usage) and `message_stop`;
///   `response.failed`, an `error` event, a failed connection or a stream
///   that ends before the response does give an `error` event. Nothing
///   follows either.
public struct OpenAIResponsesStreamTranscoder: Sendable {
    struct Call: Sendable {
        var key: Int
        var callID: String
        var name: String
        var arguments = ""
        /// UTF-8 bytes of `arguments` already sent as `input_json_delta`.
        var sent = 0
        var done = false
        /// The `parallel` wrapper: sent whole, unwrapped, once done.
        var whole: Bool
    }

    enum Waiting: Sendable {
        case text(String)
        case thinking(String)
        case signature(String)
        case call(String)
    }

    let upstreamName: String
    /// Makes weak upstream ids unique.
    let ids: AnswerIDs
    /// The ids the answer's tool calls were given so far, so a repeated one is not given again.
    var toolUseIDs: Set<String> = []
    var emitter: AnthropicStreamEmitter
    var calls: [String: Call] = [:]
    /// The call in progress: its block is open, or (the wrapper) it is being held.
    var activeCall: String?
    var waiting: [Waiting] = []
    /// Items whose text or reasoning arrived as deltas, so their `done` adds nothing.
    var streamedItems: Set<String> = []
    var sawRefusal = false

    /// Anthropic usage from the response, nil until one carries usage.
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

    /// One parsed event payload; its `type` says what it is, else `name`
    /// (the SSE `event:` field).
    public mutating func receive(event: JSONValue, name: String? = nil) -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        let type = event["type"]?.stringValue ?? name ?? ""
        if type == "error" {
            return fail(UpstreamErrorMapper.streamError(event, upstream: upstreamName))
        }
        var output: [AnthropicStreamEvent] = []
        if let mapped = OpenAIResponsesResultMapping.anthropicUsage(event["response"]?["usage"]) {
            usage = mapped
            reasoningTokens = OpenAIResponsesResultMapping.reasoningTokens(event["response"]?["usage"])
        }
        if !emitter.hasStarted {
            emitter.start(
                messageID: OpenAIResponsesResultMapping.messageID(event["response"], ids: ids), usage: usage,
                into: &output)
        }
        let itemID = event["item_id"]?.stringValue ?? event["item"]?["id"]?.stringValue ?? ""
        switch type {
        case "response.output_text.delta", "response.refusal.delta":
            if type == "response.refusal.delta" { sawRefusal = true }
            streamedItems.insert(itemID)
            receive(.text(event["delta"]?.stringValue ?? ""), into: &output)
        case "response.reasoning_summary_text.delta", "response.reasoning_text.delta":
            streamedItems.insert(itemID)
            receive(.thinking(event["delta"]?.stringValue ?? ""), into: &output)
        case "response.reasoning_summary_part.added":
            if (event["summary_index"]?.intValue ?? 0) > 0 { receive(.thinking("\n\n"), into: &output) }
        case "response.output_item.added":
            if let item = event["item"], item["type"] == "function_call" { addCall(item, into: &output) }
        case "response.function_call_arguments.delta":
            receiveArguments(event["delta"]?.stringValue ?? "", itemID: itemID, into: &output)
        case "response.function_call_arguments.done":
            completeCall(itemID: itemID, arguments: event["arguments"]?.stringValue, into: &output)
        case "response.output_item.done":
            if let item = event["item"] { receiveDone(item: item, itemID: itemID, into: &output) }
        case "response.completed", "response.incomplete":
            end(response: event["response"], into: &output)
        case "response.failed":
            let error = event["response"]?["error"] ?? .null
            return output
                + fail(
                    error.isNull
                        ? APIError(
                            status: 502, type: "api_error", message: "upstream \(upstreamName) failed the response")
                        : UpstreamErrorMapper.streamError(["error": error], upstream: upstreamName))
        default:
            break
        }
        return output
    }

    /// The upstream ended. Unless the response already completed, that is an
    /// `error` event (`error`, or "ended early").
    public mutating func finish(error: APIError?) -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        return fail(
            error
                ?? APIError.streamEndedEarly(upstream: upstreamName, before: "response.completed"))
    }

    /// Ends the stream with an `error` event, whatever state it was in.
    public mutating func fail(_ error: APIError) -> [AnthropicStreamEvent] {
        emitter.fail(error)
    }

    // MARK: Items

    private mutating func receiveDone(item: JSONValue, itemID: String, into output: inout [AnthropicStreamEvent]) {
        switch item["type"]?.stringValue {
        case "function_call":
            completeCall(itemID: itemID, arguments: item["arguments"]?.stringValue, into: &output)
        case "reasoning":
            if !streamedItems.contains(itemID) {
                receive(.thinking(OpenAIResponsesResultMapping.summaryText(item)), into: &output)
            }
            if let signature = OpenAIResponsesResultMapping.signature(ofReasoning: item) {
                receive(.signature(signature), into: &output)
            }
        case "message" where !streamedItems.contains(itemID):
            for part in item["content"]?.arrayValue ?? [] {
                if part["type"] == "refusal" { sawRefusal = true }
                receive(.text(part["text"]?.stringValue ?? part["refusal"]?.stringValue ?? ""), into: &output)
            }
        default:
            break
        }
    }

    private mutating func end(response: JSONValue?, into output: inout [AnthropicStreamEvent]) {
        while activeCall != nil || !waiting.isEmpty {
            if activeCall != nil {
                finishActiveCall(into: &output)
            } else {
                startNextWaiting(into: &output)
            }
        }
        let stopReason = OpenAIResponsesResultMapping.stopReason(
            response: response, hasToolUse: emitter.startedToolUse, sawRefusal: sawRefusal)
        emitter.finish(
            stopReason: stopReason, stopSequence: nil, usage: usage, reasoningTokens: reasoningTokens, into: &output)
    }

    // MARK: Text, thinking, signatures

    private mutating func receive(_ segment: Waiting, into output: inout [AnthropicStreamEvent]) {
        if activeCall != nil || !waiting.isEmpty {
            waiting.append(segment)
        } else {
            emit(segment, into: &output)
        }
    }

    private mutating func emit(_ segment: Waiting, into output: inout [AnthropicStreamEvent]) {
        switch segment {
        case .text(let text):
            emitter.stream(text, as: .text, into: &output)
        case .thinking(let text):
            emitter.stream(text, as: .thinking, into: &output)
        case .signature(let signature):
            // One reasoning item, one thinking block: its signature closes it.
            if emitter.open?.kind == .thinking {
                emitter.thinkingSignature = signature
                emitter.closeOpenBlock(into: &output)
            } else {
                emitter.emitSignatureOnlyThinking(signature, into: &output)
            }
        case .call(let itemID):
            activate(itemID, into: &output)
        }
    }

    // MARK: Calls

    private mutating func addCall(_ item: JSONValue, into output: inout [AnthropicStreamEvent]) {
        let itemID = item["id"]?.stringValue ?? "item_\(calls.count)"
        let name = item["name"]?.stringValue ?? ""
        let callID = ids.toolUseID(
            upstreamID: item["call_id"]?.stringValue ?? itemID, messageID: emitter.messageID, index: calls.count,
            earlier: toolUseIDs)
        toolUseIDs.insert(callID)
        var call = Call(
            key: calls.count, callID: callID, name: name,
            whole: OpenAIResponsesResultMapping.parallelWrapperNames.contains(name))
        call.arguments = item["arguments"]?.stringValue ?? ""
        calls[itemID] = call
        receive(.call(itemID), into: &output)
    }

    private mutating func activate(_ itemID: String, into output: inout [AnthropicStreamEvent]) {
        guard var call = calls[itemID] else { return }
        activeCall = itemID
        guard !call.whole else { return }
        emitter.closeOpenBlock(into: &output)
        emitter.startToolUse(
            key: call.key, id: call.callID, name: call.name.isEmpty ? "unnamed_tool_call" : call.name, into: &output)
        emitter.appendJSON(call.arguments, into: &output)
        call.sent = call.arguments.utf8.count
        calls[itemID] = call
        if call.done { finishActiveCall(into: &output) }
    }

    private mutating func receiveArguments(_ delta: String, itemID: String, into output: inout [AnthropicStreamEvent]) {
        guard var call = calls[itemID], !call.done else { return }
        call.arguments += delta
        if activeCall == itemID && !call.whole {
            emitter.appendJSON(delta, into: &output)
            call.sent = call.arguments.utf8.count
        }
        calls[itemID] = call
    }

    private mutating func completeCall(itemID: String, arguments: String?, into output: inout [AnthropicStreamEvent]) {
        guard var call = calls[itemID], !call.done else { return }
        call.done = true
        if call.arguments.isEmpty, let arguments { call.arguments = arguments }
        calls[itemID] = call
        if activeCall == itemID { finishActiveCall(into: &output) }
    }

    /// Closes the active call (sending any arguments not yet sent), then
    /// starts what waited behind it.
    private mutating func finishActiveCall(into output: inout [AnthropicStreamEvent]) {
        guard let itemID = activeCall, let call = calls[itemID] else { return }
        activeCall = nil
        if call.whole {
            let (uses, _) = OpenAIResponsesResultMapping.toolUses(
                callID: call.callID, name: call.name, arguments: call.arguments)
            for (offset, use) in uses.enumerated() {
                emitter.emitToolUse(
                    key: call.key << 16 + offset, id: use.id, name: use.name, input: use.input, into: &output)
            }
        } else {
            emitter.appendJSON(String(decoding: call.arguments.utf8.dropFirst(call.sent), as: UTF8.self), into: &output)
            emitter.closeOpenBlock(into: &output)
        }
        while activeCall == nil, !waiting.isEmpty { startNextWaiting(into: &output) }
    }

    private mutating func startNextWaiting(into output: inout [AnthropicStreamEvent]) {
        guard !waiting.isEmpty else { return }
        emit(waiting.removeFirst(), into: &output)
    }
}
