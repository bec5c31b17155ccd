import Wire

/// The Anthropic stream that carries a whole message: for a route whose
/// upstream is called without streaming (`can_stream: false`) while the
/// client asked for a stream. Each block goes out as one start, its whole
/// content in one delta, and one stop, so the stream is valid by the same
/// rules every transcoder's is (see ``AnthropicStreamEmitter``):
/// `message_start` and `ping` first, indexes rising from 0, no empty text
/// block, the usage in `message_delta`, `message_stop` last.
enum MessageStreamEvents {
    /// - Parameter message: an Anthropic Messages response body.
    /// - Parameter reasoningTokens: the reasoning tokens within its output,
    ///   for `message_delta` (``ConvertedResponse/reasoningTokens``).
    static func events(of message: JSONObject, reasoningTokens: Int? = nil) -> [AnthropicStreamEvent] {
        let usage = message["usage"]?.objectValue ?? ["input_tokens": 0, "output_tokens": 0]
        var start = message
        start["content"] = []
        start["stop_reason"] = .null
        start["stop_sequence"] = .null
        var startUsage = usage
        startUsage["output_tokens"] = 0
        start["usage"] = .object(startUsage)
        var events: [AnthropicStreamEvent] = [.messageStart(.init(message: start)), .ping]
        var index = 0
        for block in message["content"]?.arrayValue ?? [] {
            let blockEvents = Self.events(of: ContentBlock(json: block), index: index)
            guard !blockEvents.isEmpty else { continue }
            events += blockEvents
            index += 1
        }
        events.append(
            .messageDelta(
                .init(
                    stopReason: message["stop_reason"]?.stringValue,
                    stopSequence: message["stop_sequence"]?.stringValue,
                    usage: usage, reasoningTokens: reasoningTokens)))
        events.append(.messageStop)
        return events
    }

    private static func events(of block: ContentBlock, index: Int) -> [AnthropicStreamEvent] {
        switch block {
        case .text(let text):
            guard !text.isEmpty else { return [] }
            return [
                .contentBlockStart(index: index, block: .text("")),
                .contentBlockDelta(index: index, delta: .text(text)), .contentBlockStop(index: index),
            ]
        case .thinking(let thinking, let signature):
            var events: [AnthropicStreamEvent] = [
                .contentBlockStart(index: index, block: .thinking(thinking: "", signature: ""))
            ]
            if !thinking.isEmpty { events.append(.contentBlockDelta(index: index, delta: .thinking(thinking))) }
            if !signature.isEmpty { events.append(.contentBlockDelta(index: index, delta: .signature(signature))) }
            return events + [.contentBlockStop(index: index)]
        case .toolUse(let id, let name, let input):
            return [
                .contentBlockStart(index: index, block: .toolUse(id: id, name: name, input: [:])),
                .contentBlockDelta(index: index, delta: .inputJSON((input.isNull ? [:] : input).serializedString())),
                .contentBlockStop(index: index),
            ]
        case .serverToolUse(let id, let name, let input):
            return [
                .contentBlockStart(index: index, block: .serverToolUse(id: id, name: name, input: [:])),
                .contentBlockDelta(index: index, delta: .inputJSON((input.isNull ? [:] : input).serializedString())),
                .contentBlockStop(index: index),
            ]
        case .redactedThinking, .unknown:
            return [.contentBlockStart(index: index, block: block), .contentBlockStop(index: index)]
        }
    }
}
