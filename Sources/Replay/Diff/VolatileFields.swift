/// Fields that differ on every run by design, so comparisons skip them unless
/// told otherwise (`--ignore` adds to these lists).
public enum VolatileFields {
    /// Skipped when `verify` compares responses and stream events:
    /// - `/id`, `/message/id`: message ids (`msg_…`, `chatcmpl-…`), in bodies
    ///   and in `message_start`;
    /// - `/created`, `/created_at`, `/response/created_at`, `/createTime`:
    ///   timestamps, upstreams' and the proxy's (the time a request came, in
    ///   its OpenAI answers: Chat's body and chunks, Responses' body and its
    ///   stream's `response` objects);
    /// - `/system_fingerprint`: OpenAI's backend build;
    /// - `/responseId`: Gemini's response id;
    /// - `/request_id`, `/error/request_id`: ids some providers put in bodies.
    public static let responses: [JSONPointerPattern] = [
        "/id", "/message/id", "/created", "/created_at", "/response/created_at", "/createTime", "/system_fingerprint",
        "/responseId",
        "/request_id", "/error/request_id",
    ].map(JSONPointerPattern.init)

    /// Skipped when matching and diffing requests: `/metadata/user_id`
    /// (Claude Code puts a session id in it) and `/user`, the OpenAI field
    /// it becomes.
    public static let requests: [JSONPointerPattern] = ["/metadata/user_id", "/user"].map(JSONPointerPattern.init)
}
