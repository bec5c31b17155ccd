import SSE
import Wire

/// Raw upstream bytes (as the network gave them) -> Anthropic SSE events for
/// the client. Wraps SSEParser and the dialect's pure transcoder. The proxy
/// and `log-replay verify` both use exactly this, so a replay reproduces the
/// proxy byte for byte.
public struct UpstreamStreamConverter: Sendable {
    private enum Transcoder: Sendable {
        case openai(OpenAIChatStreamTranscoder)
        case anthropic(AnthropicStreamRelay)
        case unsupported(Dialect, ended: Bool)
    }

    private var parser = SSEParser()
    private var transcoder: Transcoder
    private let upstreamName: String

    public init(route: RouteOptions, requestedModel: String) {
        upstreamName = route.modelID
        switch route.upstreamDialect {
        case .openai:
            transcoder = .openai(
                OpenAIChatStreamTranscoder(requestedModel: requestedModel, upstreamName: route.modelID))
        case .anthropic:
            transcoder = .anthropic(AnthropicStreamRelay(requestedModel: requestedModel, upstreamName: route.modelID))
        case .openaiResponses, .gemini:
            transcoder = .unsupported(route.upstreamDialect, ended: false)
        }
    }

    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var output: [SSEEvent] = []
        for event in parser.parse(bytes) { handle(event, into: &output) }
        if case .unsupported = transcoder { output += fail(unsupportedError) }
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
        case .openai(var machine):
            output += Self.frames(machine.finish(error: error))
            transcoder = .openai(machine)
        case .anthropic(var relay):
            output += relay.finish(error: error)
            transcoder = .anthropic(relay)
        case .unsupported:
            output += fail(error ?? unsupportedError)
        }
        return output
    }

    /// Anthropic usage so far (input_tokens, output_tokens, cache_read_input_tokens...).
    public var usage: JSONValue? {
        switch transcoder {
        case .openai(let machine): machine.usage.map(JSONValue.object)
        case .anthropic(let relay): relay.usage.map(JSONValue.object)
        case .unsupported: nil
        }
    }

    private mutating func handle(_ event: SSEEvent, into output: inout [SSEEvent]) {
        switch transcoder {
        case .openai(var machine):
            output += Self.frames(Self.feed(event, to: &machine, upstreamName: upstreamName))
            transcoder = .openai(machine)
        case .anthropic(var relay):
            output += relay.receive(event)
            transcoder = .anthropic(relay)
        case .unsupported:
            break
        }
    }

    private static func feed(
        _ event: SSEEvent, to machine: inout OpenAIChatStreamTranscoder, upstreamName: String
    ) -> [JSONValue] {
        let data = event.data.trimmingWhitespace()
        if data.isEmpty { return [] }
        if data == "[DONE]" { return machine.receiveDone() }
        guard let chunk = try? JSONValue(parsing: data.utf8) else {
            let excerpt = String(data.prefix(200))
            return machine.fail(
                APIError(
                    status: 502, type: "api_error",
                    message: "upstream \(upstreamName) sent invalid JSON in its stream: \(excerpt)"))
        }
        if event.event == "error", chunk["error"] == nil {
            return machine.receive(chunk: ["error": chunk])
        }
        return machine.receive(chunk: chunk)
    }

    private static func frames(_ payloads: [JSONValue]) -> [SSEEvent] {
        payloads.map { SSEEvent(event: $0["type"]?.stringValue, data: $0.serializedString()) }
    }

    private var unsupportedError: APIError {
        guard case .unsupported(let dialect, _) = transcoder else { return .internalError("unreachable") }
        return APIError(
            status: 501, type: "api_error",
            message: "route \(upstreamName): streaming from upstream format \(dialect.rawValue) is not supported yet")
    }

    private mutating func fail(_ error: APIError) -> [SSEEvent] {
        guard case .unsupported(let dialect, let ended) = transcoder, !ended else { return [] }
        transcoder = .unsupported(dialect, ended: true)
        return [SSEEvent(event: "error", data: error.rendered(in: .anthropic).serializedString())]
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
