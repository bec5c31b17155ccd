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
    /// Its last frame went by (Chat's `[DONE]`, a terminal Responses event):
    /// the client's stream is complete, and nothing after it (more events,
    /// an unended event, a transport failure) is the client's concern, as
    /// once a converted stream's `message_stop` is written: more events are
    /// not relayed.
    case ended

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
            if event.dataMentions("response.completed") || event.dataMentions("response.incomplete")
                || event.dataMentions("response.failed")
            {
                self = .ended
            }
        case .gemini:
            // Gemini sends no terminator; a converted Gemini stream too ends only with the upstream's.
            if self == .open, event.dataMentions("\"finishReason\"") { self = .finished }
        }
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
