import ArgumentParser
import Replay

/// The filters every reading subcommand takes.
struct FilterOptions: ParsableArguments {
    @Flag(help: "Only failures: client status >= 400, an error line, or a stream that carried an error event.")
    var errorsOnly = false
    @Option(help: "Only this exchange id (the request-id the client saw); none with it is an error.")
    var requestId: String?
    @Option(
        help: ArgumentHelp(
            "Only this client path, e.g. /v1/messages ('*' matches anything), or a Gemini path as the summary "
                + "shows it, e.g. /v1beta/models/{model}:generateContent."))
    var endpoint: String?
    @Option(help: "Only this requested model ('*' matches anything).") var model: String?
    // `-1` or `-2h` reaches filter(), which says what it cannot read: see
    // NegativeOptionValues, applied in LogReplay.main().
    @Option(help: "Only this client status, e.g. 429 or 5xx.") var status: String?
    @Option(
        help:
            "Only exchanges since an ISO 8601 time (2026-11-21T08:00:00Z, or a date) or a span back: 90s, 10m, 2h, 7d.")
    var since: String?

    func filter() throws -> ExchangeFilter {
        let sinceDate = try since.map { text in
            guard let date = ReplayTime.parseSince(text) else {
                throw ValidationError(
                    "--since: cannot read '\(text)'; give an ISO 8601 time (2026-11-21T08:00:00Z), a date "
                        + "(2026-11-21) or a span back (90s, 10m, 2h, 7d)")
            }
            return date
        }
        if let status, !ExchangeFilter.isStatusPattern(status) {
            throw ValidationError(
                "--status: cannot read '\(status)'; give a status such as 429, or a class such as 5xx")
        }
        return ExchangeFilter(
            errorsOnly: errorsOnly, requestID: requestId, endpoint: endpoint, model: model, status: status,
            since: sinceDate)
    }
}
