import SSE
import Wire

/// Pivot events -> the `chat.completion.chunk` frames an OpenAI Chat
/// Completions client reads.
///
/// The first chunk carries `delta.role` once; text and thinking deltas
/// become `delta.content` and `delta.reasoning_content`; each `tool_use`
/// block becomes one entry of `delta.tool_calls`, numbered by tool call (not
/// by block, since text and thinking blocks have no OpenAI index).
/// `message_delta` gives the `finish_reason` chunk, `message_stop` the
/// optional usage chunk and `[DONE]`. An error is written as OpenAI's error
/// object and ends the stream without `[DONE]`, as OpenAI does.
///
/// Chunks are written straight to JSON bytes, not built as ``JSONValue``
/// trees and serialized: a stream is mostly chunks of one short delta, and
/// the trees cost more than the rest of the conversion.
public struct OpenAIChatStreamEncoder: ClientStreamEncoder {
    private let requestedModel: String
    private let includeUsage: Bool
    /// A client of the legacy `functions`: the call goes out as
    /// `delta.function_call`, the finish as `function_call`.
    private let functionCallForm: Bool
    /// Every chunk's `created`, Unix seconds.
    private let created: Int64
    private var id = ""
    private var started = false
    private var finished = false
    private var finishSent = false
    /// Anthropic usage: message_start's, updated by message_delta's.
    private var usage = JSONObject()
    /// The reasoning tokens within the usage's output, when the upstream counted them.
    private var reasoningTokens: Int?
    /// Open tool_use blocks: pivot block index -> OpenAI tool call index,
    /// and whether any of its arguments went out.
    private var openCalls: [Int: (call: Int, hasArguments: Bool)] = [:]
    private var toolCallCount = 0
    /// The names of the calls a legacy `function_call` answer had no room for.
    private var droppedCalls: [String] = []
    /// The start of every chunk, up to `"choices":[`, written once the id
    /// is known: only the choice differs from one chunk to the next.
    private var chunkHead: [UInt8] = []

    /// - Parameter includeUsage: the client's `stream_options.include_usage`:
    ///   send a last chunk with `usage` and no choices.
    /// - Parameter created: when the request came, Unix seconds, as
    ///   OpenAI's chunks say.
    /// - Parameter functionCallForm: the client asked with the legacy
    ///   `functions` (``OpenAIChatClientCodec/answersWithFunctionCall(_:)``):
    ///   its one call is `delta.function_call`; a further call, which it has
    ///   no room for, is left out.
    public init(requestedModel: String, includeUsage: Bool, created: Int64, functionCallForm: Bool = false) {
        self.requestedModel = requestedModel
        self.includeUsage = includeUsage
        self.created = created
        self.functionCallForm = functionCallForm
    }

    public mutating func encode(_ event: AnthropicStreamEvent, into frames: inout SSEFrames) {
        // Content after the finishing message_delta (an upstream breaking
        // Anthropic's order) cannot follow the finish chunk: it is dropped.
        guard !finished, !(finishSent && event.isContentBlockEvent) else { return }
        switch event {
        case .messageStart(let start):
            // Every chunk carries the same id: one made before this (a stream that did not start with
            // message_start) stays.
            if !started {
                id = OpenAIChatClientCodec.completionID(messageID: start.id, fallbackSeed: .object(start.message))
            }
            TokenCount.merge(start.usage, into: &usage)
            startIfNeeded(into: &frames)
        case .contentBlockStart(let index, let block):
            startIfNeeded(into: &frames)
            blockStarted(index: index, block: block, into: &frames)
        case .contentBlockDelta(let index, let delta):
            startIfNeeded(into: &frames)
            blockDelta(index: index, delta: delta, into: &frames)
        case .contentBlockStop(let index):
            // A call without arguments still gives the client JSON to
            // parse, as OpenAI does: `{}`, not "".
            if let open = openCalls.removeValue(forKey: index), !open.hasArguments {
                argumentsChunk("{}", call: open.call, into: &frames)
            }
        case .messageDelta(let delta):
            TokenCount.merge(delta.usage, into: &usage)
            if let reasoning = delta.reasoningTokens { reasoningTokens = reasoning }
            startIfNeeded(into: &frames)
            var reason = OpenAIChatClientCodec.finishReason(stopReason: delta.stopReason) ?? "stop"
            if functionCallForm && reason == "tool_calls" { reason = "function_call" }
            sendFinish(reason, into: &frames)
        case .messageStop:
            startIfNeeded(into: &frames)
            // The pivot always sends message_delta first; a stop without it
            // still needs the finish chunk every OpenAI client waits for.
            sendFinish("stop", into: &frames)
            if includeUsage {
                let counts = TokenCount.Inclusive(usage, reasoning: reasoningTokens)
                let values = [counts.input, counts.output, counts.total, counts.cached, counts.reasoning ?? 0]
                    .map(Int64.init)
                let template = counts.reasoning == nil ? Self.usageTemplate : Self.usageWithReasoningTemplate
                frame(
                    into: &frames,
                    usage: { bytes in
                        template.write(to: &bytes) { JSONValue.writeInteger(values[$0], to: &$1) }
                    })
            }
            frames.append(event: nil) { JSONValue.writeVerbatim("[DONE]", to: &$0) }
            finished = true
        case .error(let error):
            frames.append(SSEEvent(data: error.rendered(in: .openai).serializedString()))
            finished = true
        case .ping, .unknown:
            break
        }
    }

    /// A warning naming the calls the legacy answer left out: an upstream
    /// may make parallel calls though the request asked for one (Gemini has
    /// no way to ask), and the client must not lose them silently.
    public mutating func takeDiagnostics() -> [ConversionDiagnostic] {
        guard !droppedCalls.isEmpty else { return [] }
        defer { droppedCalls = [] }
        return [OpenAIChatClientCodec.droppedCallsWarning(names: droppedCalls)]
    }

    private mutating func blockStarted(index: Int, block: ContentBlock, into frames: inout SSEFrames) {
        switch block {
        case .text(let text) where !text.isEmpty:
            textChunk(#"{"content":"#, text, into: &frames)
        case .thinking(let thinking, _) where !thinking.isEmpty:
            textChunk(#"{"reasoning_content":"#, thinking, into: &frames)
        case .toolUse(let toolID, let name, let input):
            guard !functionCallForm || toolCallCount == 0 else {
                droppedCalls.append(name)
                return
            }
            let callIndex = toolCallCount
            toolCallCount += 1
            // Streams start tool input as {} and send it in deltas; a block
            // that starts with its input already holds all of it.
            let arguments = input == [:] ? "" : input.serializedString()
            openCalls[index] = (callIndex, !arguments.isEmpty)
            let call: JSONValue = [
                "index": .int(Int64(callIndex)), "id": .string(toolID), "type": "function",
                "function": ["name": .string(name), "arguments": .string(arguments)],
            ]
            toolCallChunk(call, into: &frames)
        default:
            // Redacted thinking and provider-run tools have no OpenAI form.
            break
        }
    }

    private mutating func blockDelta(index: Int, delta: BlockDelta, into frames: inout SSEFrames) {
        switch delta {
        case .text(let text) where !text.isEmpty:
            textChunk(#"{"content":"#, text, into: &frames)
        case .thinking(let thinking) where !thinking.isEmpty:
            textChunk(#"{"reasoning_content":"#, thinking, into: &frames)
        case .inputJSON(let fragment) where !fragment.isEmpty:
            // Only client tool calls: a server tool's input is not the client's to run.
            guard let callIndex = openCalls[index]?.call else { return }
            openCalls[index]?.hasArguments = true
            argumentsChunk(fragment, call: callIndex, into: &frames)
        default:
            break
        }
    }

    private mutating func startIfNeeded(into frames: inout SSEFrames) {
        guard !started else { return }
        started = true
        if id.isEmpty {
            // An upstream that sent no message_start gave no id; clients need a non-empty one.
            id = OpenAIChatClientCodec.completionID(messageID: nil, fallbackSeed: .string(requestedModel))
        }
        // Written as bytes, not built as a JSONValue tree and serialized: the
        // tree cost a tenth of the encoder's work.
        chunkHead.reserveCapacity(id.utf8.count + requestedModel.utf8.count + 80)
        JSONValue.writeVerbatim(#"{"id":"#, to: &chunkHead)
        JSONValue.writeString(id, to: &chunkHead)
        JSONValue.writeVerbatim(#","object":"chat.completion.chunk","created":"#, to: &chunkHead)
        JSONValue.writeInteger(created, to: &chunkHead)
        JSONValue.writeVerbatim(#","model":"#, to: &chunkHead)
        JSONValue.writeString(requestedModel, to: &chunkHead)
        JSONValue.writeVerbatim(#","choices":["#, to: &chunkHead)
        chunk(into: &frames) { JSONValue.writeVerbatim(#"{"role":"assistant","content":""}"#, to: &$0) }
    }

    private mutating func sendFinish(_ reason: String, into frames: inout SSEFrames) {
        guard !finishSent else { return }
        finishSent = true
        chunk(finishReason: reason, into: &frames) { JSONValue.writeVerbatim("{}", to: &$0) }
    }

    /// A `tool_calls` delta carrying a piece of call `call`'s arguments.
    private func argumentsChunk(_ arguments: String, call: Int, into frames: inout SSEFrames) {
        toolCallChunk(["index": .int(Int64(call)), "function": ["arguments": .string(arguments)]], into: &frames)
    }

    /// A chunk whose delta has one text member; `opening` is `{"key":`.
    private func textChunk(_ opening: StaticString, _ text: String, into frames: inout SSEFrames) {
        chunk(reserving: text.utf8.count, into: &frames) {
            JSONValue.writeVerbatim(opening, to: &$0)
            JSONValue.writeString(text, to: &$0)
            $0.append(UInt8(ascii: "}"))
        }
    }

    /// A `tool_calls` delta of `call`; in the legacy form, a
    /// `function_call` delta of its `function`.
    private func toolCallChunk(_ call: JSONValue, into frames: inout SSEFrames) {
        chunk(into: &frames) {
            if functionCallForm {
                JSONValue.writeVerbatim(#"{"function_call":"#, to: &$0)
                (call["function"] ?? [:]).write(to: &$0)
                $0.append(UInt8(ascii: "}"))
            } else {
                JSONValue.writeVerbatim(#"{"tool_calls":["#, to: &$0)
                call.write(to: &$0)
                JSONValue.writeVerbatim("]}", to: &$0)
            }
        }
    }

    /// A chunk with one choice, whose delta `writeDelta` writes.
    private func chunk(
        finishReason: String? = nil, reserving deltaSize: Int = 0, into frames: inout SSEFrames,
        delta writeDelta: (inout [UInt8]) -> Void
    ) {
        frame(reserving: deltaSize, into: &frames) { bytes in
            JSONValue.writeVerbatim(#"{"index":0,"delta":"#, to: &bytes)
            writeDelta(&bytes)
            JSONValue.writeVerbatim(#","logprobs":null,"finish_reason":"#, to: &bytes)
            if let finishReason {
                JSONValue.writeString(finishReason, to: &bytes)
            } else {
                JSONValue.writeVerbatim("null", to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// The usage chunk's `usage`: holes 0 to 3 the prompt, completion and
    /// total tokens and the cache reads. A template: the usage chunk ends
    /// every stream, and building and serializing its tree cost a tenth of
    /// the encoder's work.
    private static let usageTemplate = JSONTemplate(
        OpenAIChatClientCodec.usageObject(
            prompt: .string(JSONTemplate.hole(0)), completion: .string(JSONTemplate.hole(1)),
            total: .string(JSONTemplate.hole(2)), cached: .string(JSONTemplate.hole(3))))

    /// ``usageTemplate`` with `completion_tokens_details.reasoning_tokens`
    /// in hole 4, for an upstream that counted its reasoning tokens.
    private static let usageWithReasoningTemplate = JSONTemplate(
        OpenAIChatClientCodec.usageObject(
            prompt: .string(JSONTemplate.hole(0)), completion: .string(JSONTemplate.hole(1)),
            total: .string(JSONTemplate.hole(2)), cached: .string(JSONTemplate.hole(3)),
            reasoning: .string(JSONTemplate.hole(4))))

    /// A frame of `chunkHead`, the choices `writeChoices` writes, then the
    /// `usage` that `writeUsage` writes, when given, written straight into
    /// `frames` (an ``SSEEvent`` per frame copied and validated its text
    /// twice more). `choicesSize`: the size of the choices' variable text,
    /// if known.
    private func frame(
        reserving choicesSize: Int = 0, into frames: inout SSEFrames,
        choices writeChoices: (inout [UInt8]) -> Void = { _ in }, usage writeUsage: ((inout [UInt8]) -> Void)? = nil
    ) {
        frames.append(event: nil, reserving: chunkHead.count + choicesSize + 64) { bytes in
            bytes += chunkHead
            writeChoices(&bytes)
            bytes.append(UInt8(ascii: "]"))
            if let writeUsage {
                JSONValue.writeVerbatim(#","usage":"#, to: &bytes)
                writeUsage(&bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
