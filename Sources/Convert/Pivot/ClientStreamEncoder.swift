import SSE

/// Pivot events -> the frames a client of one dialect reads.
///
/// A pivot stream always ends with `message_stop` or `error`, so an encoder
/// writes its dialect's terminator (`[DONE]`, `response.completed`) when it
/// sees either; it needs no separate end call.
public protocol ClientStreamEncoder: Sendable {
    /// Appends the frames `event` makes to `frames`.
    mutating func encode(_ event: AnthropicStreamEvent, into frames: inout SSEFrames)

    /// What the encoder left out of the client's stream since the last
    /// call, because the client's form has no room for it (a second call in
    /// a legacy `function_call` answer), for the log and the cassette.
    /// Asked once, at the stream's end.
    mutating func takeDiagnostics() -> [ConversionDiagnostic]
}

extension ClientStreamEncoder {
    /// Nothing: most encoders leave nothing out that the pivot's upstream
    /// conversion has not already reported.
    public mutating func takeDiagnostics() -> [ConversionDiagnostic] { [] }

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
