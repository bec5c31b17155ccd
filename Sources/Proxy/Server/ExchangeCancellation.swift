import Cassette
import Convert

/// Why an exchange stopped before its answer was complete: its client hung
/// up, or the server was stopped without waiting for it (SIGQUIT: `proxy
/// stop` past its `--timeout`, `proxy restart`), which cancels every
/// connection's task. A client that is still there is told the proxy is
/// shutting down, in its own API's shape, so that its SDK retries; it did
/// not cancel anything.
///
/// A client that sent or read nothing for `--header-timeout` (a body that
/// stopped coming, an answer it did not read) had its connection closed by
/// the proxy: that is not the client's hang-up, and is said as a timeout.
enum ExchangeCancellation: Sendable, Hashable {
    case clientGone
    case shutdown
    case clientTimedOut(after: Duration)

    /// How the exchange that failed with `error` on `connection` was
    /// cancelled; nil when it was not.
    init?(after error: any Error, connection: ClientConnection?) {
        if connection?.isServerStopping == true {
            // Checked first: stopping closes the client's input, which
            // then reads as a hang-up (the client may still be waiting).
            self = .shutdown
        } else if let timeout = connection?.timedOutAfter {
            // Before the hang-up, which the proxy's own close also reads as.
            self = .clientTimedOut(after: timeout)
        } else if connection?.hasHungUp == true {
            self = .clientGone
        } else if Task.isCancelled {
            // A hang-up is marked before it cancels the task; a task
            // cancelled on a connection still open is the server stopping.
            self = .shutdown
        } else if error is CancellationError {
            // The intake's: the client's connection failed midway.
            self = .clientGone
        } else {
            return nil
        }
    }

    /// What the client is sent (nothing reaches a client that has gone).
    var error: APIError {
        switch self {
        case .clientGone: Self.clientGoneError
        case .shutdown: Self.shutdownError
        case .clientTimedOut(let timeout):
            APIError(
                status: 408, type: "timeout_error",
                message: "the client sent or read nothing for \(UpstreamFailure.describe(timeout)) "
                    + "(--header-timeout); the proxy closed the connection")
        }
    }

    /// Whether the client can be sent nothing more: its connection is gone
    /// (so no response is recorded as sent, and no first byte noted).
    var clientIsGone: Bool {
        self != .shutdown
    }

    /// The `error` line's stage.
    var stage: CassetteStage {
        switch self {
        case .clientGone, .clientTimedOut: .client
        case .shutdown: .shutdown
        }
    }

    /// The `end` line's outcome: a client still there got an error.
    var outcome: CassetteOutcome {
        switch self {
        case .clientGone: .clientCancelled
        case .shutdown, .clientTimedOut: .error
        }
    }

    /// The `error` line of a hang-up: 499 (nginx's "client closed
    /// request"), typed as the `end` outcome and the trace name it, so that
    /// `log-replay` does not count the client's leaving as an `api_error`.
    static let clientGoneError = APIError(
        status: 499, type: CassetteOutcome.clientCancelled.rawValue, message: "client closed the connection")

    /// 503 for every client, Anthropic's too, not Anthropic's 529 (which
    /// stands for Anthropic's own capacity): the Anthropic SDKs retry both
    /// (any 5xx), the OpenAI and Gemini SDKs retry 503 (google-genai not
    /// 529), Claude Code takes an error whose type is `overloaded_error` as
    /// a 529 whatever its status, and 503 is what other HTTP clients know
    /// to retry (`curl --retry` does, 529 it does not). `--max-connections`
    /// refuses with 503 too; an upstream's own 503 or 529 is passed on as
    /// it came.
    ///
    /// `x-should-retry: true` says outright that it may be retried (the
    /// request was not answered, and may be sent again as it is). No
    /// `retry-after`: when, or whether, a proxy comes back is not known
    /// here.
    static let shutdownError = APIError(
        status: 503, type: "overloaded_error", message: "the proxy is shutting down; retry in a moment",
        shouldRetry: true)
}
