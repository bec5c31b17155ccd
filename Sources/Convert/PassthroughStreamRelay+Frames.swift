import SSE
import Wire

// How a passed-through frame is read and written: the error frame that ends
// such a stream in its own dialect, Code Assist's envelope taken off, and
// which frames are looked into for usage or an error. Kept apart from the
// relay's state machine, which calls them.
extension PassthroughStreamRelay {
    /// An error ending a passed-through stream, as the dialect's own
    /// streams report one: Chat and Gemini an error object as data,
    /// Responses an `error` event.
    static func errorFrame(_ error: APIError, dialect: PassthroughDialect) -> SSEEvent {
        switch dialect {
        case .openaiResponses:
            var payload: JSONObject = ["type": "error"]
            for member in error.responsesEventMembers { payload[member.key] = member.value }
            return SSEEvent(event: "error", data: JSONValue.object(payload).serializedString())
        default:
            return SSEEvent(event: nil, data: error.rendered(in: dialect.dialect).serializedString())
        }
    }

    /// A Gemini Code Assist event (`{"response": ...}`) as the public
    /// API's, which a Gemini client reads; any other event unchanged.
    static func unwrappingCodeAssist(_ event: SSERawEvent) -> SSERawEvent {
        guard event.data.starts(with: #"{"response""#.utf8), let payload = try? JSONValue(parsing: event.data) else {
            return event
        }
        let inner = CodeAssistEnvelope.unwrapped(payload)
        guard inner != payload else { return event }
        var unwrapped = event
        unwrapped.data = inner.serialized()
        return unwrapped
    }

    /// Whether a passed-through frame may carry token counts: a `usage`
    /// member (OpenAI, Responses) or Gemini's `usageMetadata`. Frames whose
    /// usage is `null` in compact or spaced JSON (OpenAI's chunks before the
    /// last, Responses' `response.created`) are not parsed for nothing.
    /// Only the dialect's own member is looked for: each look scans the
    /// whole frame.
    static func mayReportUsage(_ event: SSERawEvent, dialect: PassthroughDialect) -> Bool {
        if dialect == .gemini { return event.dataMentions("usageMetadata") }
        return event.dataMentions("\"usage\"") && !event.dataMentions("\"usage\":null")
            && !event.dataMentions("\"usage\": null")
    }

    /// The error a passed-through frame reports, if it is one: an `error`
    /// member (OpenAI, Gemini), an `error` event (by name or `type`) or a `response.failed`
    /// (Responses, whose converted streams end in an error there too). Asked
    /// only of frames that mention `"error"`, as a `response.failed` does.
    static func passedThroughError(
        _ event: SSERawEvent, _ payload: JSONValue, upstreamName: String
    ) -> APIError? {
        let error: JSONValue
        if let member = payload["error"], !member.isNull {
            error = member
        } else if event.event == "error" || payload["type"]?.stringValue == "error" {
            // A Responses `error` event, by its name or, from a compatible
            // server that names no event, its `type`.
            error = payload
        } else if payload["type"]?.stringValue == "response.failed" {
            let member = payload["response"]?["error"] ?? .null
            error = member.isNull ? ["message": "the response failed"] : member
        } else {
            return nil
        }
        let message = error["message"]?.stringValue ?? error.serializedString()
        return APIError(status: 502, type: "api_error", message: "upstream \(upstreamName) reported: \(message)")
    }

    /// Whether a passed-through frame's data may go to the client as it
    /// came: an object's braces at both ends, whole (``UpstreamStreamConverter/isWholeEventData(_:)``),
    /// or only whitespace (a keep-alive some servers send, which no SDK
    /// parses). A frame that opens and closes as an object passes unread:
    /// read through, every frame cost a passed-through stream 4 to 6% of its
    /// instructions, and what upstreams send that is not JSON (a cut frame,
    /// text, an HTML page) fails the braces already.
    static func isRelayableData(_ data: [UInt8]) -> Bool {
        if data.first == UInt8(ascii: "{"), data.last == UInt8(ascii: "}") { return true }
        return UpstreamStreamConverter.isWholeEventData(data)
            || data.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}
