import Convert

// The values a cassette's `error`, `end` and `diagnostic` lines take, in one
// place: the proxy writes them, `log-replay` and `stub-upstream` read them.
// A diagnostic's `severity` is Convert's ``DiagnosticSeverity`` (`debug`,
// `info`, `warning`), since diagnostics arise in the converters.

/// Where an exchange was when an error happened: an `error` line's `stage`.
public enum CassetteStage: String, Sendable, Hashable, CaseIterable {
    /// Reading and checking the client's request (malformed JSON, a missing
    /// or mistyped field, a body over the limit, an unknown endpoint).
    case clientRequest = "client_request"
    /// No config entry serves the requested model.
    case route
    /// The request, or the upstream's answer, could not be converted.
    case conversion
    /// No response head from the upstream: refused, unreachable, or silent
    /// past the route's timeout (502/504).
    case upstreamConnect = "upstream_connect"
    /// The upstream answered with an HTTP error status, or a non-streamed
    /// body that could not be read or is not JSON.
    case upstreamResponse = "upstream_response"
    /// The connection failed after the stream began (a cut, silence between
    /// chunks); `log-replay verify` hands it to the stream converter's
    /// `finish(error:)`, as the proxy did.
    case upstreamStream = "upstream_stream"
    /// The upstream reported an error inside its stream (an error event, or
    /// data that is not JSON), which became the client's error frame; the
    /// stream itself went on.
    case upstreamStreamEvent = "upstream_stream_event"
    /// The stream ended cleanly, but before the message was complete. Kept
    /// apart from ``upstreamStream`` because a replay must then finish the
    /// stream with no transport error, as the proxy did.
    case upstreamStreamEnd = "upstream_stream_end"
    /// The client went away before its answer was complete (the `end`
    /// outcome is then `client_cancelled`).
    case client
    /// The proxy was stopped without waiting for the exchange (`proxy stop`
    /// past its `--timeout`, SIGQUIT): the client got 503
    /// `overloaded_error` in its shape, or that error as a stream's last
    /// frame, and may retry (the `end` outcome is `error`).
    case shutdown

    /// Stages where the upstream is at fault (what `stub-upstream` replays).
    public var isUpstream: Bool { rawValue.hasPrefix("upstream") }
}

/// How an exchange ended: an `end` line's `outcome`.
public enum CassetteOutcome: String, Sendable, Hashable, CaseIterable {
    /// The client got its whole answer, and it was not an error.
    case ok
    /// The client got an error: an error status, or an error frame in a stream.
    case error
    /// The client went away before its answer was complete.
    case clientCancelled = "client_cancelled"
}

extension CassetteEvent {
    /// An `error` line's stage; nil for other lines or a stage this version
    /// does not know.
    public var stage: CassetteStage? { self["stage"]?.stringValue.flatMap(CassetteStage.init(rawValue:)) }

    /// An `end` line's outcome; nil for other lines or an unknown outcome.
    public var outcome: CassetteOutcome? { self["outcome"]?.stringValue.flatMap(CassetteOutcome.init(rawValue:)) }
}
