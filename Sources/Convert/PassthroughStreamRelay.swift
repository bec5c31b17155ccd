import SSE
import Wire

/// Relays a stream to a client of the upstream's own dialect (any but
/// Anthropic's, see ``PassthroughDialect``) as a pure state machine, for
/// ``UpstreamStreamConverter``: each frame goes out as it came (parsed by
/// the SSE parser and written again, so a frame cut across chunks goes out
/// whole). Only frames that may hold an error or usage are parsed; the
/// error the upstream reports is kept as ``error``, the usage as ``usage``
/// in Anthropic's shape, and how far the stream got as ``progress``.
struct PassthroughStreamRelay: Sendable {
    let dialect: PassthroughDialect
    /// How far the stream got: one that ends while open was cut, and the
    /// client is told so.
    private(set) var progress = PassthroughProgress.open
    /// The last usage a frame reported, in Anthropic's shape.
    private(set) var usage: JSONObject?
    /// The first error the client's stream reported: the upstream's, data
    /// that is not JSON, or the early end ``finish(error:upstreamName:into:)``
    /// found.
    private(set) var error: APIError?

    init(dialect: PassthroughDialect) {
        self.dialect = dialect
    }

    /// What ``receive(_:upstreamName:into:)`` did with an event.
    enum Received {
        case relayed
        /// After the client's stream ended (or, after a Responses error,
        /// anything but its `response.failed`): not relayed, for the caller
        /// to note.
        case notRelayed
        /// Relayed, and it reported the stream's first ``error``.
        case reportedError
    }

    /// Whether the client's stream has ended: its last frame went by, or
    /// an error was reported. From ``progress`` alone, which an error always
    /// moves to `failing` or `ended`: asked for every chunk, reading the
    /// optional error too copied it out each time.
    var hasEnded: Bool { progress == .ended || progress == .failing }

    /// Whether the client's stream needs nothing more: it has ended, or
    /// Gemini's `finishReason` went by (Gemini sends no terminator).
    var isComplete: Bool { hasEnded || (dialect == .gemini && progress == .finished) }

    /// Appends the frame the client gets for `event`: the event itself, or
    /// the client's error when its data is not JSON; nothing for an event
    /// after the client's stream ended (``PassthroughProgress/relays(_:)``).
    mutating func receive(_ event: SSERawEvent, upstreamName: String, into output: inout SSEFrames) -> Received {
        guard progress.relays(event) else { return .notRelayed }
        var event = dialect == .gemini ? Self.unwrappingCodeAssist(event) : event
        // Only frames that may hold an error or usage are parsed; once an
        // error is reported (progress failing or ended), no other is.
        let mayReportError =
            (progress == .open || progress == .finished)
            && (event.event == "error" || event.dataMentions("\"error\""))
        let mayReportUsage = Self.mayReportUsage(event, dialect: dialect)
        var payload = mayReportError || mayReportUsage ? try? JSONValue(parsing: event.data) : nil
        if payload == nil, !Self.isRelayableData(event.data) {
            // Data that is not JSON failed in the client's SDK, with nothing said of the
            // upstream, and the exchange was recorded a success: it ends the stream as on a
            // converted route. JSON lacking only its last brackets is completed, as a
            // converted route reads it (TruncatedJSONRepair).
            guard let suffix = TruncatedJSONRepair.suffix(completing: event.data) else {
                let failure = UpstreamStreamConverter.invalidJSON(
                    String(decoding: event.data, as: UTF8.self), upstreamName: upstreamName)
                let first = progress == .open || progress == .finished
                if first { error = failure }
                progress = .ended
                output.append(Self.errorFrame(failure, dialect: dialect))
                return first ? .reportedError : .relayed
            }
            event.data += suffix.utf8
            if mayReportError || mayReportUsage { payload = try? JSONValue(parsing: event.data) }
        }
        var reported = false
        if let payload {
            if mayReportError, let failure = Self.passedThroughError(event, payload, upstreamName: upstreamName) {
                error = failure
                reported = true
            }
            if let reported = PassthroughUsage.anthropicUsage(in: payload, dialect: dialect.dialect) {
                usage = reported
            }
        }
        progress.advance(past: event, dialect: dialect)
        // An error ends a Chat or Gemini stream, as it ends a converted
        // one: what follows is not relayed but noted (an OpenAI SDK
        // raises at the error and reads on no further; a client that
        // reads on took what followed for more of the answer, and a
        // `[DONE]` for success). A Responses `error` event is followed
        // by `response.failed`, its stream's terminal event, still due;
        // anything before that is not relayed either.
        if reported, progress != .ended {
            progress = dialect == .openaiResponses ? .failing : .ended
        }
        output.append(event)
        return reported ? .reportedError : .relayed
    }

    /// The upstream ended: `error` non-nil when the connection failed.
    /// Unless the client's stream had ended, an error frame ends it: that
    /// failure's, or a cut's if the stream was still open. A failure after
    /// the end is not sent, as the transcoders' and the Anthropic relay's
    /// own `finish(error:)` send none.
    mutating func finish(error failure: APIError?, upstreamName: String, into output: inout SSEFrames) {
        guard !hasEnded else { return }
        var failure = failure
        if failure == nil, progress == .open {
            failure = .streamEndedEarly(upstream: upstreamName, before: PassthroughProgress.milestone(dialect))
        }
        guard let failure else { return }
        error = failure
        progress = .ended
        output.append(Self.errorFrame(failure, dialect: dialect))
    }
}
