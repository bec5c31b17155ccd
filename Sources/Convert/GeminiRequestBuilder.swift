import Wire

/// Translates one Anthropic Messages request into a Gemini
/// `generateContent` / `streamGenerateContent` body, collecting a diagnostic
/// for everything it drops on purpose.
///
/// The model and whether to stream are not in a Gemini body: they are in the
/// URL (see ``UpstreamEndpoint``). Choices worth knowing:
/// - all system text (the `system` field and `system`-role messages) becomes
///   one `systemInstruction`;
/// - `max_tokens` (capped), `temperature` (the route's wins), `top_p`,
///   `top_k`, `stop_sequences` (the first 5: see ``UpstreamStopSequences``),
///   and the `seed` and penalties an OpenAI or Gemini client sent
///   (``SeedAndPenalties``) go in `generationConfig`;
/// - thinking becomes `generationConfig.thinkingConfig` (see
///   ``thinkingConfig(below:)``);
/// - `output_config.format` becomes `responseMimeType` and
///   `responseJsonSchema` (see ``StructuredOutput``);
/// - `extra_body` is merged last (see `JSONObject.merge`), so a route can set
///   `safetySettings` or override any converted field.
struct GeminiRequestBuilder: AnthropicRequestTranslating {
    let request: JSONObject
    let route: RouteOptions
    var diagnostics: [ConversionDiagnostic] = []

    static let upstreamLabel = "Gemini"
    static let translatedFields = Set(
        [
            "model", "messages", "system", "max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "tools",
            "tool_choice", "thinking", "output_config", "output_format", "stream",
        ] + SeedAndPenalties.names)

    init(request: JSONObject, route: RouteOptions) {
        self.request = request
        self.route = route
    }

    mutating func build() throws(APIError) -> ConvertedRequest {
        try refuseServerThread()
        var body = JSONObject()
        if let systemText = try joinedSystemText() {
            body["systemInstruction"] = ["parts": [["text": .string(systemText)]]]
        }
        body["contents"] = .array(try convertContents())
        addTools(to: &body)
        body["generationConfig"] = .object(generationConfig())
        return finishedRequest(body)
    }

    private mutating func generationConfig() -> JSONObject {
        var config = JSONObject()
        let maxTokens = cappedMaxTokens()
        config["maxOutputTokens"] = .int(Int64(maxTokens))
        if let temperature { config["temperature"] = temperature }
        if let topP { config["topP"] = topP }
        if let topK = request["top_k"], !topK.isNull { config["topK"] = topK }
        SeedAndPenalties.add(from: request, to: &config, upstream: .gemini, diagnostics: &diagnostics)
        if let stop = request["stop_sequences"]?.arrayValue, !stop.isEmpty {
            config["stopSequences"] = .array(
                UpstreamStopSequences.sent(stop, route: route, label: Self.upstreamLabel, diagnostics: &diagnostics))
        }
        if let thinking = thinkingConfig(below: maxTokens) { config["thinkingConfig"] = .object(thinking) }
        if let format = StructuredOutput.pivotFormat(of: request) {
            StructuredOutput.addGemini(format, to: &config, diagnostics: &diagnostics)
        }
        return config
    }

    /// Budgets for an effort level, valid on every Gemini thinking model
    /// (2.5 Flash allows up to 24 576 tokens, 2.5 Pro 32 768; Gemini 3 maps
    /// budgets onto its own levels). Apart from the clients' table
    /// (``ReasoningEffortMapping/budget(forEffort:)``), which makes
    /// Anthropic budgets: `minimal` here is below Anthropic's least.
    static let budgetByEffort: [String: Int] = ["minimal": 512, "low": 1_024, "medium": 8_192, "high": 24_576]
    static let maxThinkingBudget = 24_576
    /// The least budget every Gemini thinking model takes (2.5 Flash-Lite's
    /// least), where a budget is lowered under a small cap.
    static let leastBudget = 512

    /// Anthropic thinking -> `thinkingConfig`:
    ///
    /// | client / route                              | thinkingConfig                    |
    /// |---------------------------------------------|-----------------------------------|
    /// | route `reasoning_effort`                    | `thinkingBudget` by ``budgetByEffort`` (`xhigh` = `high`) |
    /// | `thinking: {type: enabled, budget_tokens: N}` | `thinkingBudget: N` (at most 24 576) |
    /// | `output_config.effort` with no budget       | `thinkingBudget` by ``budgetByEffort`` |
    /// | `thinking: {type: adaptive}` with no effort | `thinkingBudget: -1` (dynamic)     |
    /// | `thinking: {type: disabled}` or none        | nothing: the model's default      |
    ///
    /// A client's budget wins over its effort: a client decoder fitted it
    /// under the client's cap (an OpenAI client's `high` under
    /// `max_completion_tokens: 2000` is 1 999), and the effort's budget
    /// would not fit under the same cap here.
    ///
    /// A budget is kept below `maxTokens` with room for the answer
    /// (``ReasoningEffortMapping/fittedBudget(_:below:chosenForCap:least:)``, the
    /// rule every client's budget is fitted by): Gemini's `maxOutputTokens`
    /// caps thoughts and answer together, so a route's effort, a client's
    /// effort, or a route's `max_tokens` lowering the client's cap left a
    /// budget over it, or just under it, and the thoughts could take every
    /// token, leaving no answer. A client's own `budget_tokens` under its
    /// own `max_tokens` is kept: it chose that split, as Anthropic takes it.
    /// When not even the least budget (``leastBudget``) fits, the budget
    /// is left to the model.
    ///
    /// `includeThoughts` is true when the client asked for thinking and did
    /// not set `display: omitted` (then only signatures come back, as
    /// Anthropic does).
    mutating func thinkingConfig(below maxTokens: Int) -> JSONObject? {
        let thinking = request["thinking"]
        let type = thinking?["type"]?.stringValue
        let requested = type == "enabled" ? thinking?["budget_tokens"]?.intValue : nil
        var budget: Int?
        if let effort = route.reasoningEffort
            ?? (requested == nil && type != "disabled" ? request["output_config"]?["effort"]?.stringValue : nil)
        {
            budget = Self.budgetByEffort[effort] ?? Self.maxThinkingBudget
        } else if let requested {
            budget = min(requested, Self.maxThinkingBudget)
            if requested > Self.maxThinkingBudget {
                diagnostics.append(
                    .info(
                        "/thinking/budget_tokens",
                        "capped to \(Self.maxThinkingBudget), the most every Gemini model takes"))
            }
        } else if type == "adaptive" {
            budget = -1
        }
        guard let budget else { return nil }
        var config = JSONObject()
        // The client's own budget, against the cap it set itself.
        let chosenForCap =
            route.reasoningEffort == nil && requested != nil && request["max_tokens"]?.intValue == maxTokens
        // -1 (dynamic) is never over; a budget over the cap, or leaving the
        // answer too little of it, is fitted.
        if budget >= 0,
            ReasoningEffortMapping.needsFitting(budget, below: maxTokens, chosenForCap: chosenForCap)
        {
            if let fitted = ReasoningEffortMapping.fittedBudget(
                budget, below: maxTokens, chosenForCap: chosenForCap, least: Self.leastBudget)
            {
                diagnostics.append(
                    .info(
                        "/thinking",
                        "thinkingBudget \(budget) lowered to \(fitted): maxOutputTokens \(maxTokens) caps thoughts "
                            + "and answer together, and the answer keeps \(maxTokens - fitted) of it"))
                config["thinkingBudget"] = .int(Int64(fitted))
            } else {
                diagnostics.append(
                    .info(
                        "/thinking",
                        "no thinkingBudget sent: maxOutputTokens \(maxTokens) leaves no room for one and an answer"))
            }
        } else {
            config["thinkingBudget"] = .int(Int64(budget))
        }
        if type == "enabled" || type == "adaptive" {
            config["includeThoughts"] = .bool(thinking?["display"]?.stringValue != "omitted")
        }
        return config.isEmpty ? nil : config
    }
}
