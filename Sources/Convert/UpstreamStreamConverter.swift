import SSE
import Wire

/// Raw upstream bytes (as the network gave them) -> Anthropic SSE events for
/// the client. Wraps SSEParser and the dialect's pure transcoder. The proxy
/// and `log-replay verify` both use exactly this, so a replay reproduces the
/// proxy byte for byte.
public struct UpstreamStreamConverter: Sendable {
    private enum Transcoder: Sendable {
        case payloads(any UpstreamPayloadTranscoder)
        case anthropic(AnthropicStreamRelay)
        /// Held only while a transcoder is taken out to be mutated, so it is
        /// uniquely referenced and its buffers are not copied on write.
        case vacant
    }

    private var parser = SSEParser()
    private var transcoder: Transcoder
    private let upstreamName: String

    public init(route: RouteOptions, requestedModel: String) {
        upstreamName = route.modelID
        switch route.upstreamDialect {
        case .openai:
            transcoder = .payloads(
                OpenAIChatStreamTranscoder(requestedModel: requestedModel, upstreamName: route.modelID))
        case .gemini:
            transcoder = .payloads(GeminiStreamTranscoder(requestedModel: requestedModel, upstreamName: route.modelID))
        case .anthropic:
            transcoder = .anthropic(AnthropicStreamRelay(requestedModel: requestedModel, upstreamName: route.modelID))
        case .openaiResponses:
            transcoder = .payloads(
                OpenAIResponsesStreamTranscoder(requestedModel: requestedModel, upstreamName: route.modelID))
        }
    }

    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var output: [SSEEvent] = []
        for event in parser.parse(bytes) { handle(event, into: &output) }
        return output
    }

    /// The upstream ended. `error` non-nil when the connection failed mid-stream: an `event: error` frame
    /// is emitted. An upstream that ends without finishing the message is also an error frame.
    public mutating func finish(error: APIError?) -> [SSEEvent] {
        var output: [SSEEvent] = []
        if error == nil {
            for event in parser.finish() { handle(event, into: &output) }
        }
        switch transcoder {
        case .payloads(var machine):
            transcoder = .vacant
            output += Self.frames(machine.finish(error: error))
            transcoder = .payloads(machine)
        case .anthropic(var relay):
            transcoder = .vacant
            output += relay.finish(error: error)
            transcoder = .anthropic(relay)
        case .vacant:
            break
        }
        return output
    }

    /// Anthropic usage so far (input_tokens, output_tokens, cache_read_input_tokens...).
    public var usage: JSONValue? {
        switch transcoder {
        case .payloads(let machine): machine.usage.map(JSONValue.object)
        case .anthropic(let relay): relay.usage.map(JSONValue.object)
        case .vacant: nil
        }
    }

    private mutating func handle(_ event: SSEEvent, into output: inout [SSEEvent]) {
        switch transcoder {
        case .payloads(var machine):
            transcoder = .vacant
            output += Self.frames(Self.feed(event, to: &machine, upstreamName: upstreamName))
            transcoder = .payloads(machine)
        case .anthropic(var relay):
            transcoder = .vacant
            output += relay.receive(event)
            transcoder = .anthropic(relay)
        case .vacant:
            break
        }
    }

    private static func feed(
        _ event: SSEEvent, to machine: inout some UpstreamPayloadTranscoder, upstreamName: String
    ) -> [JSONValue] {
        let data = event.data.trimmingWhitespace()
        if data.isEmpty { return [] }
        if data == "[DONE]" { return machine.receiveDone() }
        guard let chunk = (try? JSONValue(parsing: data.utf8)) ?? TruncatedJSONRepair.parse(data) else {
            let excerpt = String(data.prefix(200))
            return machine.fail(
                APIError(
                    status: 502, type: "api_error",
                    message: "upstream \(upstreamName) sent invalid JSON in its stream: \(excerpt)"))
        }
        return machine.receive(payload: chunk, eventName: event.event)
    }

    private static func frames(_ payloads: [JSONValue]) -> [SSEEvent] {
        payloads.map { SSEEvent(event: $0["type"]?.stringValue, data: $0.serializedString()) }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
