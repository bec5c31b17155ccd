import Wire

/// A dialect's pure stream transcoder as ``UpstreamStreamConverter`` drives
/// it: each SSE event's parsed JSON payload in, Anthropic event payloads out.
protocol UpstreamPayloadTranscoder: Sendable {
    /// One parsed `data:` payload, with its `event:` name when it had one.
    mutating func receive(payload: JSONValue, eventName: String?) -> [AnthropicStreamEvent]
    /// `data: [DONE]`: the upstream says the stream is over.
    mutating func receiveDone() -> [AnthropicStreamEvent]
    mutating func finish(error: APIError?) -> [AnthropicStreamEvent]
    mutating func fail(_ error: APIError) -> [AnthropicStreamEvent]
    var usage: JSONObject? { get }
    /// True once the stream it writes has ended (`message_stop` or an error).
    var isFinished: Bool { get }
    /// True once the client's stream needs nothing more from the upstream,
    /// though more may still come: a transport failure then is no failure.
    var isComplete: Bool { get }
    /// One `data:` payload read straight from its bytes, or nil to have it
    /// parsed and given to ``receive(payload:eventName:)``.
    mutating func receive(data: [UInt8], eventName: String?) -> [AnthropicStreamEvent]?
    /// What the transcoder left out, since the last call; asked once, at
    /// the finish, so a stream's events pay nothing for it.
    mutating func takeDiagnostics() -> [ConversionDiagnostic]
}

extension UpstreamPayloadTranscoder {
    mutating func receive(data: [UInt8], eventName: String?) -> [AnthropicStreamEvent]? { nil }

    /// Most transcoders leave nothing out.
    mutating func takeDiagnostics() -> [ConversionDiagnostic] { [] }

    /// Where the upstream sends a terminator (`[DONE]`, a terminal event),
    /// only that, or an error, completes the stream.
    var isComplete: Bool { isFinished }
}

extension OpenAIChatStreamTranscoder: UpstreamPayloadTranscoder {
    mutating func receive(payload: JSONValue, eventName: String?) -> [AnthropicStreamEvent] {
        // Some providers name an error event and send the bare error object.
        if eventName == "error", payload["error"] == nil { return receive(chunk: ["error": payload]) }
        return receive(chunk: payload)
    }

    /// Chunks with no event name, in the shapes ``OpenAIChatChunk`` reads.
    mutating func receive(data: [UInt8], eventName: String?) -> [AnthropicStreamEvent]? {
        guard eventName == nil, let chunk = OpenAIChatChunk(reading: data) else { return nil }
        return receive(chunk)
    }
}

extension GeminiStreamTranscoder: UpstreamPayloadTranscoder {
    mutating func receive(payload: JSONValue, eventName: String?) -> [AnthropicStreamEvent] {
        receive(chunk: payload)
    }

    /// Gemini sends no `[DONE]`; a gateway that adds one means the end.
    mutating func receiveDone() -> [AnthropicStreamEvent] {
        finish(error: nil)
    }
}

extension OpenAIResponsesStreamTranscoder: UpstreamPayloadTranscoder {
    mutating func receive(payload: JSONValue, eventName: String?) -> [AnthropicStreamEvent] {
        receive(event: payload, name: eventName)
    }

    /// Responses sends no `[DONE]`; one before `response.completed` is an early end.
    mutating func receiveDone() -> [AnthropicStreamEvent] {
        finish(error: nil)
    }
}
