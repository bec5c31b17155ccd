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
public struct OpenAIChatStreamEncoder: ClientStreamEncoder {
    private let requestedModel: String
    private let includeUsage: Bool
    private var id = ""
    private var started = false
    private var finished = false
    private var finishSent = false
    /// Anthropic usage: message_start's, updated by message_delta's.
    private var usage = JSONObject()
    /// Open tool_use blocks: pivot block index -> OpenAI tool call index.
    private var toolCallIndexes: [Int: Int] = [:]
    private var toolCallCount = 0

    /// - Parameter includeUsage: the client's `stream_options.include_usage`:
    ///   send a last chunk with `usage` and no choices.
    public init(requestedModel: String, includeUsage: Bool) {
        self.requestedModel = requestedModel
        self.includeUsage = includeUsage
    }

    public mutating func encode(_ event: AnthropicStreamEvent, into frames: inout [SSEEvent]) {
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
            merge(start.usage)
            startIfNeeded(into: &frames)
        case .contentBlockStart(let index, let block):
            startIfNeeded(into: &frames)
            blockStarted(index: index, block: block, into: &frames)
        case .contentBlockDelta(let index, let delta):
            startIfNeeded(into: &frames)
            blockDelta(index: index, delta: delta, into: &frames)
        case .contentBlockStop(let index):
            toolCallIndexes[index] = nil
        case .messageDelta(let delta):
            merge(delta.usage)
            startIfNeeded(into: &frames)
            sendFinish(OpenAIChatClientCodec.finishReason(stopReason: delta.stopReason) ?? "stop", into: &frames)
        case .messageStop:
            startIfNeeded(into: &frames)
            // The pivot always sends message_delta first; a stop without it
            // still needs the finish chunk every OpenAI client waits for.
            sendFinish("stop", into: &frames)
            if includeUsage {
                frames.append(frame(choices: [], usage: OpenAIChatClientCodec.usage(usage)))
            }
            frames.append(SSEEvent(data: "[DONE]"))
            finished = true
        case .error(let error):
            frames.append(SSEEvent(data: error.rendered(in: .openai).serializedString()))
            finished = true
        case .ping, .unknown:
            break
        }
    }

    private mutating func blockStarted(index: Int, block: ContentBlock, into frames: inout [SSEEvent]) {
        switch block {
        case .text(let text) where !text.isEmpty:
            frames.append(chunk(delta: ["content": .string(text)]))
        case .thinking(let thinking, _) where !thinking.isEmpty:
            frames.append(chunk(delta: ["reasoning_content": .string(thinking)]))
        case .toolUse(let toolID, let name, let input):
            let callIndex = toolCallCount
            toolCallCount += 1
            toolCallIndexes[index] = callIndex
            // Streams start tool input as {} and send it in deltas; a block
            // that starts with its input already holds all of it.
            let arguments = input == [:] ? "" : input.serializedString()
            let call: JSONValue = [
                "index": .int(Int64(callIndex)), "id": .string(toolID), "type": "function",
                "function": ["name": .string(name), "arguments": .string(arguments)],
            ]
            frames.append(chunk(delta: ["tool_calls": [call]]))
        default:
            // Redacted thinking and provider-run tools have no OpenAI form.
            break
        }
    }

    private mutating func blockDelta(index: Int, delta: BlockDelta, into frames: inout [SSEEvent]) {
        switch delta {
        case .text(let text) where !text.isEmpty:
            frames.append(chunk(delta: ["content": .string(text)]))
        case .thinking(let thinking) where !thinking.isEmpty:
            frames.append(chunk(delta: ["reasoning_content": .string(thinking)]))
        case .inputJSON(let fragment) where !fragment.isEmpty:
            // Only client tool calls: a server tool's input is not the client's to run.
            guard let callIndex = toolCallIndexes[index] else { return }
            let call: JSONValue = ["index": .int(Int64(callIndex)), "function": ["arguments": .string(fragment)]]
            frames.append(chunk(delta: ["tool_calls": [call]]))
        default:
            break
        }
    }

    private mutating func startIfNeeded(into frames: inout [SSEEvent]) {
        guard !started else { return }
        started = true
        if id.isEmpty {
            // An upstream that sent no message_start gave no id; clients need a non-empty one.
            id = OpenAIChatClientCodec.completionID(messageID: nil, fallbackSeed: .string(requestedModel))
        }
        frames.append(chunk(delta: ["role": "assistant", "content": ""]))
    }

    private mutating func sendFinish(_ reason: String, into frames: inout [SSEEvent]) {
        guard !finishSent else { return }
        finishSent = true
        frames.append(chunk(delta: [:], finishReason: reason))
    }

    /// Later counts replace earlier ones; message_delta's are the final ones.
    private mutating func merge(_ update: JSONObject) {
        for member in update { usage[member.key] = member.value }
    }

    private func chunk(delta: JSONObject, finishReason: String? = nil) -> SSEEvent {
        let choice: JSONValue = [
            "index": 0, "delta": .object(delta), "logprobs": nil,
            "finish_reason": finishReason.map(JSONValue.string) ?? nil,
        ]
        return frame(choices: [choice], usage: nil)
    }

    private func frame(choices: [JSONValue], usage: JSONValue?) -> SSEEvent {
        var object: JSONObject = [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(OpenAIChatClientCodec.created),
            "model": .string(requestedModel), "choices": .array(choices),
        ]
        if let usage { object["usage"] = usage }
        return SSEEvent(data: JSONValue.object(object).serializedString())
    }
}
