import Wire

/// Fits a request into its route's context window (`context` in the
/// config): the output cap is lowered so the input estimate plus the output
/// fits, and a request whose input alone does not fit is refused with 400
/// `invalid_request_error` "prompt is too long" before any upstream call,
/// as Anthropic refuses a prompt that is too long (Claude Code then
/// compacts).
///
/// The input is ``TokenEstimator``'s estimate, the one `count_tokens`
/// answers for non-Anthropic routes, so a client that counts first sees the
/// same number the proxy decides by. It is deterministic, so `log-replay
/// verify` decides as the proxy did from the recorded route.
public enum ContextBudget {
    /// The route with its output cap lowered to what the window leaves, and
    /// the diagnostic saying so when that is below the client's request.
    /// Unchanged when the route has no context window.
    /// - Parameter anthropicRequest: the request as the pivot (Anthropic
    ///   Messages) sees it.
    public static func fit(
        anthropicRequest: JSONValue, route: RouteOptions
    ) throws(APIError) -> (route: RouteOptions, diagnostics: [ConversionDiagnostic]) {
        guard let window = route.contextWindow else { return (route, []) }
        let input = TokenEstimator.estimateInputTokens(anthropicRequest: anthropicRequest)
        guard input < window else {
            // Anthropic's own answer, 400 `invalid_request_error` ("prompt is
            // too long: N tokens > M maximum"; its 413 is for bodies over its
            // size limit), worded alike up to the numbers: Claude Code reads
            // both out of it
            // (`prompt is too long[^0-9]*(\d+)\s*tokens?\s*>\s*(\d+)`) to
            // size its compaction, so nothing may stand between them.
            throw APIError(
                status: 400, type: "invalid_request_error",
                message: "prompt is too long: about \(input) tokens > \(window) maximum (estimated; the context "
                    + "window of route `\(route.modelID)`); shorten the conversation (Claude Code: /compact) or "
                    + "route to a model with a larger `context`", code: APIError.contextLengthExceeded)
        }
        let room = window - input
        guard room < route.maxTokensCap ?? Int.max else { return (route, []) }
        var fitted = route
        fitted.maxTokensCap = room
        var diagnostics: [ConversionDiagnostic] = []
        if let requested = anthropicRequest["max_tokens"]?.intValue, requested > room {
            diagnostics.append(
                .info(
                    "/max_tokens",
                    "input estimated at \(input) tokens leaves \(room) of the route's \(window)-token context "
                        + "window for output"))
        }
        return (fitted, diagnostics)
    }
}
