import SSE
import Wire

/// Relays an Anthropic-format upstream's stream to the client, event by
/// event, as a pure state machine. Events stay bytes: only the few read
/// here are parsed, from their bytes.
///
/// Events go out as they came, with three deliberate exceptions:
/// - `message_start.message.model` becomes the client's requested model, as
///   in every response the proxy returns (its string replaced in the bytes,
///   every other byte as it came, unless the event is one the tree must
///   read: then it is written again from its tree);
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
    /// False when the caller reads each event's ``lastPayload`` rather than
    /// sending its data (a client of another dialect): `message_start` with
    /// the client's model is then not written out again.
    let sendsData: Bool
    private var started = false
    private var ended = false

    /// Whether `message_stop`, an `error` or ``finish(error:)`` has ended
    /// the stream: ``error`` is set, if ever, by then.
    public var hasEnded: Bool { ended }

    /// Anthropic usage so far: `message_start`'s, updated by `message_delta`s.
    public private(set) var usage: JSONObject?
    /// The error that ended the stream: the upstream's `error` event, read
    /// once here where it arrives, or the early end ``finish(error:)`` found.
    public private(set) var error: APIError?
    /// The payload of the event the last ``receive(_:)`` returned, when it
    /// was parsed on the way (as sent: `message_start` with the client's
    /// model), so a caller that needs it parsed does not parse it again.
    public private(set) var lastPayload: JSONValue?

    public init(requestedModel: String, upstreamName: String, sendsData: Bool = true) {
        self.requestedModel = requestedModel
        self.upstreamName = upstreamName
        self.sendsData = sendsData
    }

    /// The event the client gets for `event`, if any: one at most, not an
    /// array (an allocation an event).
    public mutating func receive(_ event: SSERawEvent) -> SSERawEvent? {
        lastPayload = nil
        guard !ended else { return nil }
        var event = event
        var payload: JSONValue?
        defer { lastPayload = payload }
        if event.event == nil {
            payload = try? JSONValue(parsing: event.data)
            event.event = SSEEvent.lineSafeName(payload?["type"]?.stringValue)
        }
        switch event.event {
        case "message_start":
            if started { return nil }
            started = true
            // For an Anthropic client the event is only renamed: read, not parsed.
            if sendsData, payload == nil, let members = Self.readMessageStart(event.data) {
                usage = members.usage
                // Only a model that is a string is renamed, as below.
                if let model = members.model?.text, model != requestedModel {
                    event.data = members.renaming(event.data, to: requestedModel)
                }
                return event
            }
            if payload == nil { payload = try? JSONValue(parsing: event.data) }
            guard case .object(var object)? = payload, case .object(var message)? = object["message"] else {
                return event
            }
            usage = message["usage"]?.objectValue
            if let model = message["model"]?.stringValue, model != requestedModel {
                message["model"] = .string(requestedModel)
                object["message"] = .object(message)
                payload = .object(object)
                if sendsData { event.data = JSONValue.object(object).serialized() }
            }
        case "message_delta":
            var deltaUsage: JSONObject?
            if sendsData, payload == nil, let read = Self.readDeltaUsage(event.data) {
                deltaUsage = read
            } else {
                if payload == nil { payload = try? JSONValue(parsing: event.data) }
                deltaUsage = payload?["usage"]?.objectValue
            }
            if let deltaUsage {
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
                message: body?["error"]?["message"]?.stringValue ?? String(decoding: event.data, as: UTF8.self))
        default:
            break
        }
        return event
    }

    public mutating func finish(error: APIError?) -> SSERawEvent? {
        guard !ended else { return nil }
        ended = true
        let failure =
            error
            ?? APIError.streamEndedEarly(upstream: upstreamName, before: "message_stop")
        self.error = failure
        return SSERawEvent(event: "error", data: failure.rendered(in: .anthropic).serialized())
    }
}
