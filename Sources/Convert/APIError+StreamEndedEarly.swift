extension APIError {
    /// The 502 every transcoder and the relay send when an upstream stream
    /// stops before the event that finishes it, one wording for all dialects.
    ///
    /// - Parameter milestone: what the stream never reached, as the upstream
    ///   names it (e.g. "message_stop", "a finishReason").
    static func streamEndedEarly(upstream: String, before milestone: String) -> APIError {
        APIError(
            status: 502, type: "api_error", message: "upstream \(upstream) stream ended early, before \(milestone)")
    }
}
