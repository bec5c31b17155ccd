import SSE
import Wire

/// Pivot stream events -> the `alt=sse` frames a Gemini
/// `streamGenerateContent` client reads: one `GenerateContentResponse`
/// chunk per piece of content, and a last chunk with the `finishReason` and
/// the full `usageMetadata`. Gemini has no end marker (no `[DONE]`), so
/// `message_stop` writes nothing more.
///
/// Every chunk has content, the last one too: Gemini's own finishing chunk
/// carries the answer's last part, and google-genai's chats take a chunk
/// without content for a failed answer and leave the whole turn out of the
/// history they send next. google-genai 1.x also takes a part that is only
/// `{"text":""}` for a failed answer, so the finish rides on the answer's
/// last real part; an empty text part is sent only when the answer has no
/// part at all.
///
/// So the answer's latest part (a text or thinking delta, or a whole
/// function call) is held back one step: it goes out when the next part
/// comes, or with the finish. Held, a thought can still take its block's
/// signature, which Anthropic sends just before the block closes. At most
/// one part is held, so the stream stays incremental. A function call is
/// sent whole when its block closes: Gemini clients read `args` as an
/// object, not as JSON text in pieces.
public struct GeminiStreamEncoder: ClientStreamEncoder {
    /// The part held back one step (see the type's documentation).
    private enum HeldPart {
        case text(String)
        /// Text that a text-less thinking block's signature came after: as
        /// the request side reads it back (the signature closes its text).
        case signedText(String, signature: String)
        /// A thought of the pivot block `block`, whose signature may still come.
        case thought(String, signature: String?, block: Int)
        case call(JSONObject)

        /// The part's JSON, text written without a tree: the common case.
        func write(to bytes: inout [UInt8]) {
            switch self {
            case .text(let text):
                JSONValue.writeVerbatim(#"{"text":"#, to: &bytes)
                JSONValue.writeString(text, to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            case .signedText(let text, let signature):
                JSONValue.object(["text": .string(text), "thoughtSignature": .string(signature)]).write(to: &bytes)
            case .thought(let text, let signature, _):
                // A signature-only thought has no `text`: google-genai before
                // 1.60 takes a part whose text is "" for a failed answer.
                var part: JSONObject = text.isEmpty ? ["thought": true] : ["text": .string(text), "thought": true]
                if let signature { part["thoughtSignature"] = .string(signature) }
                JSONValue.object(part).write(to: &bytes)
            case .call(let part):
                JSONValue.object(part).write(to: &bytes)
            }
        }

        /// Room to reserve for the part's text.
        var size: Int {
            switch self {
            case .text(let text), .signedText(let text, _), .thought(let text, _, _): text.utf8.count
            case .call: 0
            }
        }
    }

    private struct PendingCall {
        var id: String
        var name: String
        var input: JSONValue
        var json = ""
    }

    private let requestedModel: String
    private var responseID = "" {
        didSet { frameTail = [] }
    }
    /// Every frame's last members, `,"modelVersion":...,"responseId":...}`,
    /// written once per response id.
    private var frameTail: [UInt8] = []
    private var usage: JSONObject = [:]
    /// The reasoning tokens within the usage's output, when the upstream counted them.
    private var reasoningTokens: Int?
    private var calls: [Int: PendingCall] = [:]
    private var held: HeldPart?
    private var finishSent = false
    /// A call was left out for its arguments: unless the output limit cut
    /// it, the finish says so (``GeminiClientMapping/malformedCallFinishReason``).
    private var droppedCall = false
    private var ended = false

    public init(requestedModel: String) {
        self.requestedModel = requestedModel
    }

    public mutating func encode(_ event: AnthropicStreamEvent, into frames: inout SSEFrames) {
        // Content after the finishing message_delta (an upstream breaking
        // Anthropic's order) cannot follow Gemini's finish candidate, which
        // must be the last: it is dropped (found by the stream fuzzer).
        guard !ended, !(finishSent && event.isContentBlockEvent) else { return }
        switch event {
        case .messageStart(let start):
            // A Gemini stream has one responseId. Once a frame has carried
            // one (content before any message_start, from an upstream
            // breaking Anthropic's order), a late message_start keeps it
            // (found by the stream fuzzer).
            if frameTail.isEmpty { responseID = start.id }
            usage = start.usage
        case .contentBlockStart(let index, let block):
            start(block, at: index, into: &frames)
        case .contentBlockDelta(let index, let delta):
            add(delta, at: index, into: &frames)
        case .contentBlockStop(let index):
            if let call = calls.removeValue(forKey: index) {
                // Gemini sends a call whole or not at all: arguments cut
                // short (the output limit) or broken are not a call to run,
                // and `{}` in their place would run it without them.
                let args = call.json.isEmpty ? call.input : try? JSONValue(parsing: call.json)
                guard let args, args.objectValue != nil else {
                    droppedCall = true
                    return
                }
                hold(
                    .call(GeminiClientMapping.functionCallPart(id: call.id, name: call.name, args: args)), into: &frames
                )
            }
        case .messageDelta(let delta):
            TokenCount.merge(delta.usage, into: &usage)
            if let reasoning = delta.reasoningTokens { reasoningTokens = reasoning }
            sendFinish(stopReason: delta.stopReason, into: &frames)
        case .messageStop:
            sendFinish(stopReason: nil, into: &frames)
            ended = true
        case .error(let error):
            flushHeld(into: &frames)
            frames.append(SSEEvent(data: error.rendered(in: .gemini).serializedString()))
            ended = true
        case .ping, .unknown:
            break
        }
    }

    private mutating func start(_ block: ContentBlock, at index: Int, into frames: inout SSEFrames) {
        switch block {
        case .text(let text):
            if !text.isEmpty { hold(.text(text), into: &frames) }
        case .thinking(let thinking, let signature):
            if !thinking.isEmpty { hold(.thought(thinking, signature: nil, block: index), into: &frames) }
            sign(signature, block: index, into: &frames)
        case .toolUse(let id, let name, let input):
            // The text before the call goes now: held, it waited for all
            // of the call's arguments (seconds, for a file being written).
            // The call becomes the held part at its stop.
            flushHeld(into: &frames)
            calls[index] = PendingCall(id: id, name: name, input: input)
        case .redactedThinking, .serverToolUse, .unknown:
            break
        }
    }

    private mutating func add(_ delta: BlockDelta, at index: Int, into frames: inout SSEFrames) {
        switch delta {
        case .text(let text):
            if !text.isEmpty { hold(.text(text), into: &frames) }
        case .thinking(let text):
            if !text.isEmpty { hold(.thought(text, signature: nil, block: index), into: &frames) }
        case .signature(let signature):
            sign(signature, block: index, into: &frames)
        case .inputJSON(let fragment):
            calls[index]?.json += fragment
        case .unknown:
            break
        }
    }

    /// Sends the part held so far, and holds `part` in its place.
    private mutating func hold(_ part: HeldPart, into frames: inout SSEFrames) {
        flushHeld(into: &frames)
        held = part
    }

    /// Sends the held part, if any, in a chunk of its own.
    private mutating func flushHeld(into frames: inout SSEFrames) {
        guard let part = held else { return }
        held = nil
        chunk(reserving: part.size, into: &frames) { part.write(to: &$0) }
    }

    /// Puts the signature of the thinking block `block` on its held, unsigned
    /// thought, or on the text held just before a text-less one (as a whole
    /// answer's parts do); with neither to ride on, it goes in a thought
    /// part of its own.
    private mutating func sign(_ signature: String, block: Int, into frames: inout SSEFrames) {
        guard let signature = GeminiClientMapping.thoughtSignature(fromThinking: signature) else { return }
        if case .thought(let text, nil, block)? = held {
            held = .thought(text, signature: signature, block: block)
        } else if case .text(let text)? = held {
            held = .signedText(text, signature: signature)
        } else {
            hold(.thought("", signature: signature, block: block), into: &frames)
        }
    }

    private mutating func sendFinish(stopReason: String?, into frames: inout SSEFrames) {
        guard !finishSent else { return }
        finishSent = true
        let usage = JSONValue.object(GeminiClientMapping.usageMetadata(usage, reasoning: reasoningTokens))
        var reason = GeminiClientMapping.finishReason(stopReason: stopReason)
        if droppedCall && reason != "MAX_TOKENS" { reason = GeminiClientMapping.malformedCallFinishReason }
        // The finish rides on the answer's last part; an answer with none
        // gets an empty text part, the one content google-genai's chats can read.
        let part = held
        held = nil
        chunk(reserving: part?.size ?? 0, finishReason: reason, usage: usage, into: &frames) { bytes in
            if let part { part.write(to: &bytes) } else { JSONValue.writeVerbatim(#"{"text":""}"#, to: &bytes) }
        }
    }

    /// A chunk whose one candidate's parts `writeParts` writes; the
    /// finishing one also has the `finishReason` and the `usageMetadata`.
    private mutating func chunk(
        reserving size: Int = 0, finishReason: String? = nil, usage: JSONValue? = nil,
        into frames: inout SSEFrames, parts writeParts: (inout [UInt8]) -> Void
    ) {
        frame(usage: usage, reserving: size, into: &frames) { bytes in
            JSONValue.writeVerbatim(#"{"content":{"role":"model","parts":["#, to: &bytes)
            writeParts(&bytes)
            JSONValue.writeVerbatim(#"]}"#, to: &bytes)
            if let finishReason {
                JSONValue.writeVerbatim(#","finishReason":"#, to: &bytes)
                JSONValue.writeString(finishReason, to: &bytes)
            }
            JSONValue.writeVerbatim(#","index":0}"#, to: &bytes)
        }
    }

    /// `{"candidates":[` the candidate `writeCandidate` writes `]`, then
    /// `usageMetadata` when given, the model and the response id: the
    /// members a `GenerateContentResponse` chunk has, in Gemini's order.
    /// Written as bytes straight into `frames`, not a tree serialized per
    /// frame, nor an ``SSEEvent`` (which copied and validated the text twice
    /// more).
    private mutating func frame(
        usage: JSONValue? = nil, reserving size: Int = 0, into frames: inout SSEFrames,
        candidate writeCandidate: (inout [UInt8]) -> Void
    ) {
        if frameTail.isEmpty {
            JSONValue.writeVerbatim(#","modelVersion":"#, to: &frameTail)
            JSONValue.writeString(requestedModel, to: &frameTail)
            JSONValue.writeVerbatim(#","responseId":"#, to: &frameTail)
            JSONValue.writeString(responseID, to: &frameTail)
            frameTail.append(UInt8(ascii: "}"))
        }
        let tail = frameTail
        frames.append(event: nil, reserving: size + tail.count + 64) { bytes in
            JSONValue.writeVerbatim(#"{"candidates":["#, to: &bytes)
            writeCandidate(&bytes)
            bytes.append(UInt8(ascii: "]"))
            if let usage {
                JSONValue.writeVerbatim(#","usageMetadata":"#, to: &bytes)
                usage.write(to: &bytes)
            }
            bytes += tail
        }
    }
}
