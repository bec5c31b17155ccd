import SSE

/// Pivot events -> the frames a client of one dialect reads.
///
/// A pivot stream always ends with `message_stop` or `error`, so an encoder
/// writes its dialect's terminator (`[DONE]`, `response.completed`) when it
/// sees either; it needs no separate end call.
public protocol ClientStreamEncoder: Sendable {
    /// Appends the frames `event` makes to `frames`.
    mutating func encode(_ event: AnthropicStreamEvent, into frames: inout SSEFrames)
}

extension ClientStreamEncoder {
    /// Appends the frames `event` makes to `events`, as events: for tests
    /// and tools that read frames one by one.
    public mutating func encode(_ event: AnthropicStreamEvent, into events: inout [SSEEvent]) {
        var frames = SSEFrames()
        encode(event, into: &frames)
        events += frames.events
    }
}

/// The Anthropic client's encoder: each event as Anthropic writes it.
public struct AnthropicStreamEncoder: ClientStreamEncoder {
    public init() {}

    public func encode(_ event: AnthropicStreamEvent, into frames: inout SSEFrames) {
        event.appendFrame(to: &frames)
    }
}
