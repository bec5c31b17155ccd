import SSE
import Wire

/// Relays an Anthropic-format upstream's stream to the client, event by
/// event, as a pure state machine.
///
/// Events go out as they came, with three deliberate exceptions:
/// - `message_start.message.model` becomes the client's requested model, as
///   in every response the proxy returns;
/// - a second `message_start` (some Anthropic-compatible servers repeat it,
///   see fixtures `duplicate-message-start`) is dropped: it carries nothing
///   new, and a client that sees two may reset the message it is building;
/// - an event with no `event:` name gets its payload's `type` as the name,
///   since Anthropic SDKs dispatch on the name.
/// Usage is tracked from `message_start` and every `message_delta`. After
/// `message_stop` or `error` nothing more is sent; a stream that ends before
/// either becomes an `error` event.
public struct AnthropicStreamRelay: Sendable {
    let requestedModel: String
    let upstreamName: String
    private var started = false
    private var ended = false

    /// Anthropic usage so far: `message_start`'s, updated by `message_delta`s.
    public private(set) var usage: JSONObject?
    /// The error that ended the stream: the upstream's `error` event, read
    /// once here where it arrives, or the early end ``finish(error:)`` found.
    public private(set) var error: APIError?
    /// The payload of the event the last ``receive(_:)`` returned, when it
    /// was parsed on the way (as sent: `message_start` with the client's
    /// model), so a caller that needs it parsed does not parse it again.
    public private(set) var lastPayload: JSONValue?
    /// Whether an event whose payload changes (`message_start`'s model) has
    /// its data serialized again. Off for a caller that reads only
    /// ``lastPayload`` (one converting for another client dialect), for
    /// which serializing `message_start` was a tenth of the conversion.
    var rewritesData = true

    public init(requestedModel: String, upstreamName: String) {
        self.requestedModel = requestedModel
        self.upstreamName = upstreamName
    }

    public mutating func receive(_ event: SSEEvent) -> [SSEEvent] {
        lastPayload = nil
        guard !ended else { return [] }
        var event = event
        var payload: JSONValue?
        defer { lastPayload = payload }
        if event.event == nil {
            payload = try? JSONValue(parsing: event.data)
            event.event = payload?["type"]?.stringValue
        }
        switch event.event {
        case "message_start":
            if started { return [] }
            started = true
            if payload == nil { payload = try? JSONValue(parsing: event.data) }
            guard case .object(var object)? = payload, case .object(var message)? = object["message"] else {
                return [event]
            }
            usage = message["usage"]?.objectValue
            if let model = message["model"]?.stringValue, model != requestedModel {
                message["model"] = .string(requestedModel)
                object["message"] = .object(message)
                payload = .object(object)
                if rewritesData { event.data = JSONValue.object(object).serializedString() }
            }
        case "message_delta":
            if payload == nil { payload = try? JSONValue(parsing: event.data) }
            if let deltaUsage = payload?["usage"]?.objectValue {
                var merged = usage ?? [:]
                for member in deltaUsage { merged[member.key] = member.value }
                usage = merged
            }
        case "message_stop":
            ended = true
        case "error":
            ended = true
            if payload == nil { payload = try? JSONValue(parsing: event.data) }
            let body = payload
            let type = body?["error"]?["type"]?.stringValue ?? "api_error"
            error = APIError(
                status: APIError.status(forAnthropicType: type), type: type,
                message: body?["error"]?["message"]?.stringValue ?? event.data)
        default:
            break
        }
        return [event]
    }

    public mutating func finish(error: APIError?) -> [SSEEvent] {
        guard !ended else { return [] }
        ended = true
        let failure =
            error
            ?? APIError.streamEndedEarly(upstream: upstreamName, before: "message_stop")
        self.error = failure
        return [SSEEvent(event: "error", data: failure.rendered(in: .anthropic).serializedString())]
    }
}
