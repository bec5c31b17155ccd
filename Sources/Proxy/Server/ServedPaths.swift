/// The prefixes each dialect's endpoints are served under, and the
/// monitoring endpoints' paths, for the routes (``ProxyServer``), for what a
/// request with the wrong method is told (``EndpointRefusal``) and for what
/// is not an exchange (``ExchangeMiddleware``), so they cannot drift apart.
///
/// Clients configured with a prefixed base URL (`/anthropic`, `/openai`,
/// `/gemini`, as tizee/anthropic-proxy serves them) find the same endpoints
/// there.
enum ServedPaths {
    /// Messages, count_tokens, and the models list and model.
    static let anthropic = ["/v1", "/anthropic/v1"]
    /// Chat Completions and Responses; `""` for an OpenAI SDK given a base
    /// URL without `/v1`, as LiteLLM serves them.
    static let openAI = ["/v1", "/openai/v1", ""]
    /// Gemini's `models/{model}:method`; `/v1/models/...` is google-genai's
    /// path when it is given a base URL.
    static let gemini = ["/v1beta", "/gemini/v1beta", "/v1", "/gemini/v1"]
    /// Gemini's models list and model. `/v1/models` is shared with
    /// Anthropic's, whose endpoint answers google-genai there by its key.
    static let geminiModels = ["/v1beta", "/gemini/v1beta", "/gemini/v1"]
    /// OpenAI's models list, apart from Anthropic's.
    static let openAIModels = "/openai/v1/models"

    /// Answers `GET` and `HEAD` whatever the options.
    static let health = "/health"
    /// Prometheus' scrape, unless `--no-metrics`.
    static let metrics = "/metrics"
    /// Usage since start, under each Anthropic prefix, unless `--no-metrics`.
    static let stats = anthropic.map { $0 + "/stats" }
    /// The monitoring endpoints, which scrapers poll all day and which are
    /// therefore not exchanges (``ExchangeMiddleware``).
    static let monitoring = Set([health, metrics] + stats)

    /// The methods (as `Allow` lists them: `GET, HEAD`) of the read-only
    /// endpoint at `path`: a models list or model, or a monitoring endpoint (`/metrics`
    /// and the stats only when `servesMetrics`: off, their GET says so, and
    /// another method is an unknown endpoint); nil for any other path. The
    /// generate endpoints' paths are
    /// known by ``ClientEndpoint``.
    static func methods(readingAt path: String, servesMetrics: Bool) -> String? {
        let methods = "GET, HEAD"
        if path == health || path == openAIModels || (servesMetrics && (path == metrics || stats.contains(path))) {
            return methods
        }
        for prefix in anthropic + geminiModels {
            guard path.hasPrefix(prefix + "/models") else { continue }
            let rest = path.dropFirst(prefix.utf8.count + "/models".utf8.count)
            if rest.isEmpty || (rest.first == "/" && rest.count > 1) { return methods }
        }
        return nil
    }
}
