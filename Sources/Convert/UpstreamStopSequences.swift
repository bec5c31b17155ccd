import Wire

/// How many of a client's stop sequences each upstream takes, and which the
/// proxy applies itself (``StopSequenceCut``) because the upstream was not
/// given them all:
/// - OpenAI Responses takes none (it has no such parameter);
/// - Gemini takes at most 5;
/// - OpenAI's own Chat Completions API takes at most 4
///   (``RouteOptions/maxStopSequences``, set by the route's host), and
///   its reasoning models none (``RouteOptions/reasoningModel``, unless
///   the route's limit says otherwise); other servers of the Chat format
///   (DeepSeek, vLLM...) take more, and get all;
/// - Anthropic refuses one that is empty or only whitespace, which a
///   client of another dialect may send (`"\n"` is a common OpenAI one;
///   ``AnthropicUpstreamFit`` leaves them out).
///
/// Where any is withheld the proxy applies all of them: the upstream stops
/// at the ones it was given before the proxy sees them, so applying those
/// again changes nothing, and one list is simpler than two.
enum UpstreamStopSequences {
    /// Gemini's limit (`generationConfig.stopSequences`).
    static let geminiLimit = 5

    /// The most stop sequences the route's upstream takes; nil for no limit.
    static func limit(for route: RouteOptions) -> Int? {
        switch route.upstreamDialect {
        case .openaiResponses: 0
        case .gemini: geminiLimit
        case .openai: route.maxStopSequences ?? (route.reasoningModel == true ? 0 : nil)
        case .anthropic: nil
        }
    }

    /// The stop sequences to send up: at most the route's limit, with a note
    /// when the rest are left to the proxy.
    /// - Parameter label: the upstream as the note names it.
    static func sent(
        _ stops: [JSONValue], route: RouteOptions, label: String, diagnostics: inout [ConversionDiagnostic]
    ) -> [JSONValue] {
        guard let limit = limit(for: route), stops.count > limit else { return stops }
        // A Chat upstream's limit is its model's when it is a reasoning model: say which.
        let upstream =
            route.upstreamDialect == .openai && route.reasoningModel == true
            ? "OpenAI reasoning model \(route.upstreamModel)" : label
        let message =
            limit == 0
            ? "\(upstream) takes no stop sequences; the proxy applies them to the answer"
            : "\(upstream) takes at most \(limit) stop sequences; the first \(limit) are sent, and the proxy applies "
                + "all \(stops.count) to the answer"
        diagnostics.append(.info("/stop_sequences", message))
        return Array(stops.prefix(limit))
    }

    /// Whether a stop sequence is one Anthropic refuses: empty or only whitespace.
    static func anthropicRefuses(_ stop: String) -> Bool {
        stop.isBlankToAnthropic
    }

    /// The stop sequences the proxy applies to the answer on this route: all
    /// of the client's when the upstream is not given every one, else nil
    /// (as for a request with none, so such a request pays nothing).
    /// - Parameter clientDialect: an Anthropic client's request goes to an
    ///   Anthropic upstream as sent, whitespace and all.
    static func appliedByProxy(_ stops: [String], route: RouteOptions, clientDialect: Dialect) -> [String]? {
        guard stops.contains(where: { !$0.isEmpty }) else { return nil }
        if let limit = limit(for: route), stops.count > limit { return stops }
        if route.upstreamDialect == .anthropic, clientDialect != .anthropic, stops.contains(where: anthropicRefuses) {
            return stops
        }
        return nil
    }
}
