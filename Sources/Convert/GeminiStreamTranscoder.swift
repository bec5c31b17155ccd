import Wire

/// Gemini `streamGenerateContent?alt=sse` chunks (each a
/// `GenerateContentResponse`) -> Anthropic Messages stream events, as a pure
/// state machine: parsed chunks in, event payloads out, no I/O.
///
/// - `message_start` (id `msg_` + `responseId`, made unique when weak:
///   ``AnswerIDs``) and `ping` at the first chunk;
/// - text parts stream into a text block (empty text opens nothing); parts
///   with `thought: true` into a thinking block;
/// - thought signatures follow ``GeminiThoughtSignature``: on a thought part
///   they close its thinking block as a `signature_delta`; on a text part
///   before the answer's text they become a thinking block with no text,
///   before that text; on a text part after it (usually an empty one at the
///   end) they are dropped with a debug diagnostic; on a function call they
///   go into the `tool_use` id;
/// - a `functionCall` with its whole `args` becomes a complete `tool_use`
///   block at once; one streamed in pieces (`willContinue`, `partialArgs`)
///   is assembled first and goes out when its last piece arrives;
/// - `finishReason` (or a blocked prompt) closes the content; the stream's
///   end then gives `message_delta` (stop reason, latest `usageMetadata`)
///   and `message_stop`. Gemini sends no `[DONE]`, so the end of the body is
///   the end of the message. A finish reason that says the model failed to
///   answer (``GeminiResultMapping/failure(finishReason:finishMessage:answered:upstream:)``)
///   gives an `error` event there instead;
/// - an `{"error":...}` chunk, a failed connection, or a stream that ends
///   with no finish reason gives an `error` event, then nothing more.
public struct GeminiStreamTranscoder: Sendable {
    struct PendingCall: Sendable {
        var name: String
        var signature: String?
        var call: JSONValue
        var arguments = GeminiPartialArguments()
    }

    let upstreamName: String
    var emitter: AnthropicStreamEmitter
    var finishReason: String?
    /// The candidate's `finishMessage`, Gemini's word on its finish.
    var finishMessage: String?
    /// True once answer text or a call went out: thoughts alone are none.
    var answered = false
    /// True once the answer's text has begun (a text block opened): a
    /// text part's signature after that is dropped, not shown.
    var textBegan = false
    var pendingCall: PendingCall?
    var emittedCalls = 0
    /// What was not passed on, for ``takeDiagnostics()``.
    private var diagnostics: [ConversionDiagnostic] = []
    /// Makes a weak `responseId` unique.
    let ids: AnswerIDs

    /// Anthropic usage from the latest `usageMetadata`, nil until one arrives.
    public private(set) var usage: JSONObject?
    /// The reasoning tokens within `usage`'s output, when the upstream
    /// reported them: the pivot's ``AnthropicStreamEvent/MessageDelta/reasoningTokens``.
    private(set) var reasoningTokens: Int?

    /// True once `message_stop` or an `error` event has been produced.
    public var isFinished: Bool { emitter.isEnded }

    /// True once finished, or once a finish reason (or a blocked prompt) was
    /// read: Gemini sends no terminator, and its streams end with that
    /// chunk, so a connection that fails after it leaves the message
    /// whole. Chunks after it are still read (a usage-only one counts).
    public var isComplete: Bool { emitter.isEnded || finishReason != nil }

    /// `requestedModel` is the model name the client asked for, reported in
    /// `message_start`; `upstreamName` names the upstream in error messages;
    /// `idSeed` (``RouteOptions/idSeed``) makes a weak `responseId`, and so
    /// the tool ids made from it, unique.
    public init(requestedModel: String, upstreamName: String, idSeed: String? = nil) {
        emitter = AnthropicStreamEmitter(requestedModel: requestedModel)
        self.upstreamName = upstreamName
        ids = AnswerIDs(seed: idSeed)
    }

    /// One parsed `data:` payload.
    public mutating func receive(chunk payload: JSONValue) -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        if case .array(let items) = payload {
            // Some gateways send the non-SSE streaming form, an array of responses.
            return items.flatMap { receive(chunk: $0) }
        }
        let chunk = CodeAssistEnvelope.unwrapped(payload)
        if let error = chunk["error"], !error.isNull {
            return fail(UpstreamErrorMapper.streamError(chunk, upstream: upstreamName))
        }
        var output: [AnthropicStreamEvent] = []
        if let mapped = GeminiResultMapping.anthropicUsage(chunk["usageMetadata"]) {
            usage = mapped
            reasoningTokens = GeminiResultMapping.reasoningTokens(chunk["usageMetadata"])
        }
        if !emitter.hasStarted {
            emitter.start(messageID: GeminiResultMapping.messageID(chunk, ids: ids), usage: usage, into: &output)
        }
        guard finishReason == nil else { return output }
        let candidate = chunk["candidates"]?[0]
        for (index, part) in (candidate?["content"]?["parts"]?.arrayValue ?? []).enumerated() {
            receive(part: part, index: index, into: &output)
        }
        if let reason = candidate?["finishReason"]?.stringValue {
            finishReason = reason
            finishMessage = candidate?["finishMessage"]?.stringValue
        } else if chunk["promptFeedback"]?["blockReason"]?.stringValue != nil {
            finishReason = GeminiResultMapping.blockedPrompt
        }
        if finishReason != nil { closeContent(into: &output) }
        return output
    }

    /// The upstream ended. With `error`, without a finish reason ever
    /// seen, or with one that says the model failed to answer, the output
    /// is an `error` event; otherwise the content closes, then
    /// `message_delta` and `message_stop`. The failure is told here, not at
    /// its chunk, so a usage-only chunk after it still counts.
    public mutating func finish(error: APIError?) -> [AnthropicStreamEvent] {
        guard !emitter.isEnded else { return [] }
        if let error { return fail(error) }
        guard let finishReason else {
            return fail(
                APIError.streamEndedEarly(upstream: upstreamName, before: "a finishReason"))
        }
        var output: [AnthropicStreamEvent] = []
        closeContent(into: &output)
        if let failure = GeminiResultMapping.failure(
            finishReason: finishReason, finishMessage: finishMessage, answered: answered, upstream: upstreamName)
        {
            return output + fail(failure)
        }
        let stopReason = GeminiResultMapping.stopReason(
            finishReason: finishReason, hasToolUse: emitter.startedToolUse)
        emitter.finish(
            stopReason: stopReason, stopSequence: nil, usage: usage, reasoningTokens: reasoningTokens, into: &output)
        return output
    }

    /// What was dropped since the last call (a text part's signature after
    /// the answer's text), for the log and the cassette.
    public mutating func takeDiagnostics() -> [ConversionDiagnostic] {
        defer { diagnostics = [] }
        return diagnostics
    }

    /// Ends the stream with an `error` event, whatever state it was in.
    public mutating func fail(_ error: APIError) -> [AnthropicStreamEvent] {
        emitter.fail(error)
    }

    /// `index` is the part's place in its chunk, for diagnostics.
    private mutating func receive(part: JSONValue, index: Int, into output: inout [AnthropicStreamEvent]) {
        let signature = GeminiResultMapping.signature(of: part)
        if let call = part["functionCall"] {
            receive(functionCall: call, signature: signature, into: &output)
            return
        }
        emitPendingCall(into: &output)
        let text = part["text"]?.stringValue ?? ""
        if GeminiResultMapping.isThought(part) {
            emitter.stream(text, as: .thinking, into: &output)
            if let signature { carry(signature, into: &output) }
            return
        }
        // A text part's signature goes before its text, and once the
        // answer's text has begun it is dropped (see GeminiThoughtSignature).
        // An empty part's goes on the open thinking block, as before; a part
        // with text ends that block, so its signature has a block of its own.
        if let signature {
            if textBegan {
                diagnostics.append(GeminiThoughtSignature.droppedAfterText(at: "/candidates/0/content/parts/\(index)"))
            } else if text.isEmpty {
                carry(signature, into: &output)
            } else {
                emitter.emitSignatureOnlyThinking(GeminiThoughtSignature.thinkingSignature(signature), into: &output)
            }
        }
        emitter.stream(text, as: .text, into: &output)
        if !text.isEmpty { answered = true }
        if emitter.open?.kind == .text { textBegan = true }
    }

    /// A thought or text part's signature: on the open thinking block, else
    /// on a thinking block with no text of its own.
    private mutating func carry(_ signature: String, into output: inout [AnthropicStreamEvent]) {
        let carried = GeminiThoughtSignature.thinkingSignature(signature)
        if emitter.open?.kind == .thinking {
            emitter.thinkingSignature = carried
        } else {
            emitter.emitSignatureOnlyThinking(carried, into: &output)
        }
    }

    /// A call whose `willContinue` is not true is complete: sent at once, or,
    /// when it ends a call streamed in pieces, that call is sent. A part with
    /// a `name` while a call is pending starts the next call.
    private mutating func receive(
        functionCall call: JSONValue, signature: String?, into output: inout [AnthropicStreamEvent]
    ) {
        let name = call["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if name != nil { emitPendingCall(into: &output) }
        if pendingCall == nil {
            guard let name else { return }
            pendingCall = PendingCall(name: name, signature: signature, call: call)
        }
        guard var pending = pendingCall else { return }
        if pending.signature == nil { pending.signature = signature }
        if let arguments = call["args"]?.objectValue { pending.arguments.merge(arguments) }
        for partial in call["partialArgs"]?.arrayValue ?? [] { pending.arguments.apply(partial) }
        pendingCall = pending
        if call["willContinue"]?.boolValue != true { emitPendingCall(into: &output) }
    }

    private mutating func emitPendingCall(into output: inout [AnthropicStreamEvent]) {
        guard let pending = pendingCall else { return }
        pendingCall = nil
        let id = GeminiResultMapping.toolUseID(
            messageID: emitter.messageID, ordinal: emittedCalls, call: pending.call, signature: pending.signature)
        emitter.emitToolUse(
            key: emittedCalls, id: id, name: pending.name, input: pending.arguments.value, into: &output)
        emittedCalls += 1
        answered = true
    }

    private mutating func closeContent(into output: inout [AnthropicStreamEvent]) {
        emitPendingCall(into: &output)
        emitter.closeOpenBlock(into: &output)
    }
}
