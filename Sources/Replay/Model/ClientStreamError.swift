import Cassette
import SSE
import Wire

/// How a client's stream says it failed, in each dialect: Anthropic and
/// Responses with an event named `error` (Responses' `response.failed`
/// too), Chat Completions and Gemini with a frame whose data holds an
/// `error` member and no event name. A search for the text `event: error`
/// saw only the first two, and the words inside an answer's text for one.
public enum ClientStreamError {
    /// The error object of a frame that reports one, else nil.
    /// - Parameters:
    ///   - name: the frame's `event:` name.
    ///   - data: its data, parsed.
    public static func error(name: String?, data: JSONValue?) -> JSONValue? {
        if name == "response.failed" || data?["type"]?.stringValue == "response.failed" {
            return data?["response"]?["error"] ?? ["message": "the response failed"]
        }
        if let member = data?["error"], !member.isNull { return member }
        if name == "error" || data?["type"]?.stringValue == "error" { return data ?? .null }
        return nil
    }

    /// The error object of the last frame in `events` (recorded
    /// `client_event` lines) that reports one.
    public static func lastError(in events: [CassetteEvent]) -> JSONValue? {
        for event in events.reversed() {
            if let error = error(name: event["event"]?.stringValue, data: event["data"]) { return error }
        }
        return nil
    }

    /// Whether a response body, read as an event stream, has a frame that
    /// reports an error.
    public static func reportsError(streamBody body: some Sequence<UInt8>) -> Bool {
        var parser = SSEParser()
        let frames = parser.parseRaw(body) + parser.finishRaw()
        return frames.contains { frame in
            // Only frames that could say so are parsed.
            guard
                frame.event == "error" || frame.event == "response.failed" || frame.dataMentions("error")
                    || frame.dataMentions("response.failed")
            else { return false }
            return error(name: frame.event, data: try? JSONValue(parsing: frame.data)) != nil
        }
    }
}
