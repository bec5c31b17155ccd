import Foundation
import Synchronization
import Wire

/// One request through the proxy, from the request head to the last byte of
/// the answer: its id, its clock, where it has got to, and (when recording)
/// the cassette it is written to.
final class Exchange: Sendable {
    /// Where an exchange is; an error is recorded with the stage it
    /// happened in, as the `error` line's `stage`. These are the only
    /// stages; Sources/Cassette/CassetteEvent.swift documents each (a test
    /// keeps that list and this one alike).
    enum Stage: String, Sendable, CaseIterable {
        /// Reading and checking the client's request (malformed JSON, a
        /// missing field, a body over the limit, an unknown endpoint).
        case clientRequest = "client_request"
        /// No config entry serves the requested model.
        case route
        /// The request or the upstream's answer could not be converted.
        case conversion
        /// No response head from the upstream: refused, unreachable, or too slow.
        case upstreamConnect = "upstream_connect"
        /// The upstream's HTTP error status, or a non-streamed body that
        /// could not be read or is not JSON.
        case upstreamResponse = "upstream_response"
        /// The connection to the upstream failed mid-stream.
        case upstreamStream = "upstream_stream"
        /// The upstream reported an error inside its stream (an error
        /// event, or data that is not JSON); the stream itself went on.
        case upstreamStreamEvent = "upstream_stream_event"
        /// The upstream ended its stream cleanly but before the message was
        /// complete. Kept apart from ``upstreamStream`` because a replay
        /// must then finish the stream with no transport error, as the proxy did.
        case upstreamStreamEnd = "upstream_stream_end"
        /// The client went away before its answer was complete.
        case client
    }

    private struct State {
        var stage = Stage.clientRequest
        var clientRequestRecorded = false
        var firstByteMicros: Int64?
        var streaming = false
        var ended = false
        var usage: JSONValue?
    }

    /// Sent as `request-id`, recorded as the cassette's `x`.
    let id: String
    let startedAt: ContinuousClock.Instant
    /// The wall-clock time at ``startedAt``, recorded as the request's
    /// `started` (what `log-replay --since` and HAR exports read).
    let startedAtDate: Date
    /// Nil when the proxy is not recording: every `record...` is then a no-op.
    let recording: ExchangeRecording?
    private let state = Mutex(State())

    init(
        id: String, startedAt: ContinuousClock.Instant = .now, startedAtDate: Date = Date(),
        recording: ExchangeRecording? = nil
    ) {
        self.id = id
        self.startedAt = startedAt
        self.startedAtDate = startedAtDate
        self.recording = recording
    }

    /// Microseconds since the exchange began (`t_us`).
    var elapsedMicros: Int64 {
        let elapsed = ContinuousClock.now - startedAt
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }

    var stage: Stage {
        get { state.withLock { $0.stage } }
        set { state.withLock { $0.stage = newValue } }
    }

    /// Whether the answer is a stream, whose end is recorded when the stream
    /// ends rather than when the response is returned.
    var isStreaming: Bool {
        get { state.withLock { $0.streaming } }
        set { state.withLock { $0.streaming = newValue } }
    }

    /// The answer's Anthropic usage, for the `end` line, when known.
    var usage: JSONValue? {
        get { state.withLock { $0.usage } }
        set { state.withLock { $0.usage = newValue } }
    }

    /// Notes the first byte of the answer, once.
    func markFirstByte() {
        let now = elapsedMicros
        state.withLock { state in
            if state.firstByteMicros == nil { state.firstByteMicros = now }
        }
    }

    var firstByteMicros: Int64? { state.withLock { $0.firstByteMicros } }

    /// True the first time only: the client request is recorded once, by
    /// whoever gets to it first (the endpoint that read the body, or the
    /// middleware for requests no endpoint read).
    func claimClientRequest() -> Bool {
        state.withLock { state in
            defer { state.clientRequestRecorded = true }
            return !state.clientRequestRecorded
        }
    }

    /// True the first time only, so an exchange has one `end` line.
    func claimEnd() -> Bool {
        state.withLock { state in
            defer { state.ended = true }
            return !state.ended
        }
    }
}
