import SSE

/// Pivot events -> the frames a client of one dialect reads.
///
/// A pivot stream always ends with `message_stop` or `error`, so an encoder
/// writes its dialect's terminator (`[DONE]`, `response.completed`) when it
/// sees either; it needs no separate end call.
public protocol ClientStreamEncoder: Sendable {
    mutating func encode(_ event: AnthropicStreamEvent, into frames: inout [SSEEvent])
}

/// The Anthropic client's encoder: each event as Anthropic writes it.
public struct AnthropicStreamEncoder: ClientStreamEncoder {
    public init() {}

    public func encode(_ event: AnthropicStreamEvent, into frames: inout [SSEEvent]) {
        frames.append(event.sseEvent)
    }
}
