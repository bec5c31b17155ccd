import SSE
import Wire

/// Pivot stream events -> the `alt=sse` frames a Gemini
/// `streamGenerateContent` client reads: one `GenerateContentResponse`
/// chunk per piece of content, and a last chunk with the `finishReason` and
/// the full `usageMetadata`. Gemini has no end marker (no `[DONE]`), so
/// `message_stop` writes nothing more.
///
/// Every chunk has content, the last one too: Gemini's own finishing chunk
/// carries the answer's last part (an empty text part when nothing else is
/// due), and google-genai's chats take a chunk without content for a
/// failed answer and leave the whole turn out of the history they send next.
///
/// Text and thinking are passed on as they come, except that the latest
/// thinking delta is held back one step so the block's signature, which
/// Anthropic sends just before the block closes, can ride on a real thought
/// part. A function call is sent whole when its block closes: Gemini clients
/// read `args` as an object, not as JSON text in pieces.
public struct GeminiStreamEncoder: ClientStreamEncoder {
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
    private var heldThought: String?
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
            flushThought(signature: nil, into: &frames)
            if let call = calls.removeValue(forKey: index) {
                // Gemini sends a call whole or not at all: arguments cut
                // short (the output limit) or broken are not a call to run,
                // and `{}` in their place would run it without them.
                let args = call.json.isEmpty ? call.input : try? JSONValue(parsing: call.json)
                guard let args, args.objectValue != nil else {
                    droppedCall = true
                    return
                }
                chunk(
                    parts: [GeminiClientMapping.functionCallPart(id: call.id, name: call.name, args: args)],
                    into: &frames)
            }
        case .messageDelta(let delta):
            flushThought(signature: nil, into: &frames)
            TokenCount.merge(delta.usage, into: &usage)
            if let reasoning = delta.reasoningTokens { reasoningTokens = reasoning }
            sendFinish(stopReason: delta.stopReason, into: &frames)
        case .messageStop:
            flushThought(signature: nil, into: &frames)
            sendFinish(stopReason: nil, into: &frames)
            ended = true
        case .error(let error):
            flushThought(signature: nil, into: &frames)
            frames.append(SSEEvent(data: error.rendered(in: .gemini).serializedString()))
            ended = true
        case .ping, .unknown:
            break
        }
    }

    private mutating func start(_ block: ContentBlock, at index: Int, into frames: inout SSEFrames) {
        flushThought(signature: nil, into: &frames)
        switch block {
        case .text(let text):
            if !text.isEmpty { textChunk(text, into: &frames) }
        case .thinking(let thinking, let signature):
            if !thinking.isEmpty { heldThought = thinking }
            if !signature.isEmpty { flushThought(signature: signature, into: &frames) }
        case .toolUse(let id, let name, let input):
            calls[index] = PendingCall(id: id, name: name, input: input)
        case .redactedThinking, .serverToolUse, .unknown:
            break
        }
    }

    private mutating func add(_ delta: BlockDelta, at index: Int, into frames: inout SSEFrames) {
        switch delta {
        case .text(let text):
            flushThought(signature: nil, into: &frames)
            if !text.isEmpty { textChunk(text, into: &frames) }
        case .thinking(let text):
            guard !text.isEmpty else { return }
            flushThought(signature: nil, into: &frames)
            heldThought = text
        case .signature(let signature):
            flushThought(signature: signature, into: &frames)
        case .inputJSON(let fragment):
            calls[index]?.json += fragment
        case .unknown:
            break
        }
    }

    /// Sends the held thought, with `signature` when given; a signature with
    /// no thought text to ride on goes in an empty thought part.
    private mutating func flushThought(signature: String?, into frames: inout SSEFrames) {
        let signature = signature.flatMap(GeminiClientMapping.thoughtSignature(fromThinking:))
        guard heldThought != nil || signature != nil else { return }
        var part: JSONObject = ["text": .string(heldThought ?? ""), "thought": true]
        if let signature { part["thoughtSignature"] = .string(signature) }
        heldThought = nil
        chunk(parts: [part], into: &frames)
    }

    private mutating func sendFinish(stopReason: String?, into frames: inout SSEFrames) {
        guard !finishSent else { return }
        finishSent = true
        let usage = JSONValue.object(GeminiClientMapping.usageMetadata(usage, reasoning: reasoningTokens))
        var reason = GeminiClientMapping.finishReason(stopReason: stopReason)
        if droppedCall && reason != "MAX_TOKENS" { reason = GeminiClientMapping.malformedCallFinishReason }
        // Everything due was sent before: the finish carries an empty text part, as Gemini's does.
        chunk(finishReason: reason, usage: usage, into: &frames) { bytes in
            JSONValue.writeVerbatim(#"{"text":""}"#, to: &bytes)
        }
    }

    /// A chunk whose one candidate holds `parts`.
    private mutating func chunk(parts: [JSONObject], into frames: inout SSEFrames) {
        chunk(into: &frames) { bytes in
            for (index, part) in parts.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.object(part).write(to: &bytes)
            }
        }
    }

    /// A chunk with one text part: the common case, written without a tree.
    private mutating func textChunk(_ text: String, into frames: inout SSEFrames) {
        chunk(reserving: text.utf8.count, into: &frames) { bytes in
            JSONValue.writeVerbatim(#"{"text":"#, to: &bytes)
            JSONValue.writeString(text, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
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
