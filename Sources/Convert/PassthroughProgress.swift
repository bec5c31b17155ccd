import SSE

/// How far a passed-through stream got, read from its own frames, for
/// ``UpstreamStreamConverter``: whether an end there was a cut, and whether
/// anything after it still concerns the client.
enum PassthroughProgress: Sendable, Equatable {
    /// Nothing has finished it yet: an end here was a cut.
    case open
    /// Finished (a finish_reason, Gemini's finishReason), but more may be
    /// due (Chat's usage chunk and `[DONE]`): an end here is not a cut, a
    /// failure still is, as it is for a converted stream at that point. Not
    /// after Gemini's, which has nothing due after it (its stream is
    /// complete: ``UpstreamStreamConverter/isComplete``).
    case finished
    /// A Responses error went by (an `error` event): only its
    /// `response.failed`, the stream's terminal event, is still relayed.
    /// What comes before that (more of the answer) is not, as after the end:
    /// a client that reads on took it for more of an answer that failed.
    case failing
    /// Its last frame went by (Chat's `[DONE]`, a terminal Responses event,
    /// a Chat or Gemini error):
    /// the client's stream is complete, and nothing after it (more events,
    /// an unended event, a transport failure) is the client's concern, as
    /// once a converted stream's `message_stop` is written: more events are
    /// not relayed.
    case ended

    /// Whether `event` still goes to the client: not after the end, nor
    /// after a Responses error unless it is that error's `response.failed`.
    func relays(_ event: SSERawEvent) -> Bool {
        switch self {
        case .open, .finished: true
        case .failing: Self.isResponsesFailure(event)
        case .ended: false
        }
    }

    /// Moves on past a frame the client was sent. Only the frames that can
    /// move it are looked into: once finished, Chat's only `[DONE]`.
    mutating func advance(past event: SSERawEvent, dialect: PassthroughDialect) {
        switch dialect {
        case .openai:
            if event.data.elementsEqual("[DONE]".utf8) {
                self = .ended
            } else if self == .open,
                event.dataMentions("\"finish_reason\":\"") || event.dataMentions("\"finish_reason\": \"")
            {
                self = .finished
            }
        case .openaiResponses:
            if Self.isTerminalResponsesEvent(event) { self = .ended }
        case .gemini:
            // Gemini sends no terminator; a converted Gemini stream too ends only with the upstream's.
            // A finish reason is a string (a `null` one on every chunk is none); a tool call's
            // arguments holding such a member, an object here, are taken for one too.
            if self == .open,
                event.dataMentions("\"finishReason\":\"") || event.dataMentions("\"finishReason\": \"")
            {
                self = .finished
            }
        }
    }

    /// Whether `event` is a terminal Responses event: by its name (OpenAI
    /// sends one) or by its `type` member (a compatible server may send no
    /// name, or `event: message` on every event). The words alone are no
    /// sign: the `instructions` echoed in `response.created`, or a text
    /// delta about streaming handlers, can hold them, and took the stream
    /// for ended (nothing after it was relayed).
    private static func isTerminalResponsesEvent(_ event: SSERawEvent) -> Bool {
        if let name = event.event, name == "response.completed" || name == "response.incomplete" {
            return true
        }
        // Inside a JSON string the quotes are escaped: only a member matches.
        return isResponsesFailure(event)
            || event.dataMentions("\"type\":\"response.completed\"")
            || event.dataMentions("\"type\":\"response.incomplete\"")
            || event.dataMentions("\"type\": \"response.completed\"")
            || event.dataMentions("\"type\": \"response.incomplete\"")
    }

    /// Whether `event` is a `response.failed`, by its name or its `type`
    /// member, as ``isTerminalResponsesEvent(_:)`` knows one.
    private static func isResponsesFailure(_ event: SSERawEvent) -> Bool {
        event.event == "response.failed" || event.dataMentions("\"type\":\"response.failed\"")
            || event.dataMentions("\"type\": \"response.failed\"")
    }

    /// What a stream cut while ``open`` never reached, for its error.
    static func milestone(_ dialect: PassthroughDialect) -> String {
        switch dialect {
        case .openai: "a finish_reason"
        case .openaiResponses: "response.completed"
        case .gemini: "a finishReason"
        }
    }
}
