import Wire

/// How Anthropic's thinking settings become OpenAI's `reasoning_effort`.
///
/// Precedence: the route's own `reasoning_effort`; else the client's
/// `output_config.effort`; else `thinking.budget_tokens` when thinking is
/// `enabled`. `thinking.type: disabled`, and `adaptive` with no effort, send
/// nothing, leaving the upstream its default.
///
/// Budget to effort, chosen so Claude Code's own presets land apart
/// ("think" 4 000, "think hard" 10 000, "ultrathink" 31 999 tokens):
///
/// | budget_tokens    | reasoning_effort |
/// |------------------|------------------|
/// | up to 4 096      | low              |
/// | 4 097 to 16 384  | medium           |
/// | above 16 384     | high             |
///
/// `output_config.effort` values pass through, except `max`, which OpenAI
/// does not accept and becomes `high`.
///
/// A route whose model is known to refuse it
/// (``RouteOptions/reasoningEffortRefused``) gets none from the client's
/// settings, with a note. Another model that rejects `reasoning_effort`
/// can drop it with `extra_body: {reasoning_effort: null}`.
enum ReasoningEffortMapping {
    static let lowBudgetLimit = 4_096
    static let mediumBudgetLimit = 16_384

    /// The effort to send upstream, by the precedence above; nil for none.
    static func effort(
        route: RouteOptions, thinking: JSONValue?, outputConfig: JSONValue?,
        diagnostics: inout [ConversionDiagnostic]
    ) -> String? {
        if let routeEffort = route.reasoningEffort { return routeEffort }
        guard let effort = clientEffort(thinking: thinking, outputConfig: outputConfig) else { return nil }
        guard route.reasoningEffortRefused != true else {
            // Claude Code asks for an effort on every main request: sent, a route to `gpt-4.1` answered 400.
            diagnostics.append(
                .info(
                    outputConfig?["effort"] != nil ? "/output_config/effort" : "/thinking",
                    "reasoning effort \(effort) not sent: \(route.upstreamModel) on this route takes none"))
            return nil
        }
        return effort
    }

    /// The effort the client's own settings ask for; nil for none.
    private static func clientEffort(thinking: JSONValue?, outputConfig: JSONValue?) -> String? {
        let thinkingType = thinking?["type"]?.stringValue
        if thinkingType == "disabled" { return nil }
        if let effort = outputConfig?["effort"]?.stringValue {
            return effort == "max" ? "high" : effort
        }
        guard thinkingType == "enabled", let budget = thinking?["budget_tokens"]?.intValue else { return nil }
        return effort(forBudget: budget)
    }

    /// A client's effort (a Chat client's `reasoning_effort`, a Responses
    /// client's `reasoning.effort`, a Gemini client's `thinkingLevel`) ->
    /// `thinking.budget_tokens`; nil for `none` and words it does not know.
    /// One table for every client dialect, so one effort asks one budget
    /// whoever asks it:
    ///
    /// | effort           | budget_tokens                  |
    /// |------------------|--------------------------------|
    /// | `minimal`, `low` | 1 024 (Anthropic's least)      |
    /// | `medium`         | 8 192                          |
    /// | `high`           | 24 576                         |
    /// | `xhigh`          | 27 648                         |
    ///
    /// Each budget lies in the band ``effort(forBudget:)`` maps back to the
    /// same effort (`minimal` to `low`, `xhigh` to `high`). `high` and
    /// `xhigh` are no more because a cap the client left unset becomes the
    /// budget plus ``answerRoom`` (``unsetCap(default:thinkingBudget:)``):
    /// both stay under 32 000, the output limit of Claude Opus 4 and 4.1 (a
    /// `high` of 32 000 made it 40 192 with the 8 192 a Gemini client's cap
    /// once left, an `xhigh` of 32 000 a Chat client's 36 096). A route's
    /// `max_tokens` lowers both where a model takes less.
    /// A Gemini upstream's budgets are a table of their own
    /// (``GeminiRequestBuilder/budgetByEffort``): Gemini's least budget is
    /// not Anthropic's.
    static func budget(forEffort effort: String) -> Int? {
        switch effort {
        case "minimal", "low": RequestConverter.minimumThinkingBudget
        case "medium": 8_192
        case "high": 24_576
        case "xhigh": 27_648
        default: nil
        }
    }

    /// `budget` fitted to Anthropic's rules for a request capped at
    /// `maxTokens`, which caps thinking and answer together (in OpenAI's
    /// and Gemini's APIs too): at least ``RequestConverter/minimumThinkingBudget``,
    /// and, where it must be lowered (``needsFitting(_:below:chosenForCap:)``),
    /// ``mostBudget(below:)``, so the answer keeps its room; nil, thinking
    /// off, when not even the least leaves the answer that. The one rule
    /// every client decoder fits its pivot by, and a Gemini upstream's
    /// budget and an Anthropic upstream's lowered cap
    /// (``RequestConverter/fitThinkingBudget(_:below:chosenForCap:diagnostics:)``).
    /// A budget under the least is raised rather than turned off: the
    /// client asked for thinking, and Anthropic takes the least.
    /// - Parameters:
    ///   - chosenForCap: the client set this very budget against this very
    ///     cap (its own `budget_tokens` under its own `max_tokens`): kept
    ///     while below the cap, as the client chose.
    ///   - least: the least budget the upstream takes; Gemini's is not
    ///     Anthropic's.
    static func fittedBudget(
        _ budget: Int, below maxTokens: Int, chosenForCap: Bool = false,
        least: Int = RequestConverter.minimumThinkingBudget
    ) -> Int? {
        let raised = max(budget, least)
        guard needsFitting(raised, below: maxTokens, chosenForCap: chosenForCap) else { return raised }
        let most = mostBudget(below: maxTokens)
        return most >= least ? most : nil
    }

    /// The most thinking a budget lowered under a cap of `maxTokens` keeps:
    /// the answer keeps half the cap (rounded up), up to ``answerRoom``.
    /// Lowered to just below the cap (`maxTokens - 1`), thoughts could take
    /// all but one token, and Gemini then answered empty, cut at
    /// `MAX_TOKENS`. With the least budget (1 024), thinking fits a cap of
    /// 2 048 or more.
    static func mostBudget(below maxTokens: Int) -> Int {
        // Halved, not `(maxTokens + 1) / 2`: any integer comes, and Int.max + 1 traps.
        maxTokens - min(answerRoom, maxTokens - maxTokens / 2)
    }

    /// Whether `budget` must be lowered under a cap of `maxTokens`: it is
    /// not below the cap; or the client did not choose it for this cap (an
    /// effort's budget, a route's, or a cap the proxy lowered) and it
    /// leaves the answer less than ``mostBudget(below:)`` does.
    static func needsFitting(_ budget: Int, below maxTokens: Int, chosenForCap: Bool) -> Bool {
        budget >= maxTokens || (!chosenForCap && budget > mostBudget(below: maxTokens))
    }

    /// ``fittedBudget(_:below:chosenForCap:least:)`` as a client decoder does it, telling the
    /// client what became of its budget: a warning when thinking is off,
    /// a note when the budget was changed. One function, so every dialect
    /// says it alike; only the cap's name and where the budget was asked
    /// differ.
    /// - Parameters:
    ///   - capName: the client's field for the cap, as the messages name it.
    ///   - pointer: where the client asked for thinking; made only for a
    ///     diagnostic.
    ///   - chosenForCap: as for ``fittedBudget(_:below:chosenForCap:least:)``.
    static func fittedBudget(
        _ budget: Int, below maxTokens: Int, capName: String, chosenForCap: Bool = false,
        pointer: @autoclosure () -> String, diagnostics: inout [ConversionDiagnostic]
    ) -> Int? {
        guard let fitted = fittedBudget(budget, below: maxTokens, chosenForCap: chosenForCap) else {
            diagnostics.append(
                .warning(
                    pointer(),
                    "\(capName) \(maxTokens) leaves no room for Anthropic's least thinking budget and an answer; "
                        + "thinking off"))
            return nil
        }
        if fitted != budget {
            diagnostics.append(
                .info(
                    pointer(),
                    "thinking budget \(budget) made \(fitted): at least Anthropic's least, leaving the answer "
                        + "\(maxTokens - fitted) of \(capName) \(maxTokens)"))
        }
        return fitted
    }

    /// The room a cap the client left unset keeps for the answer after a
    /// thinking budget (which every API counts in its cap), the same in
    /// every client dialect: with it, `xhigh` (``budget(forEffort:)``)
    /// stays under Claude Opus 4's 32 000.
    static let answerRoom = 4_096

    /// The most a cap the client left unset becomes: 32 000, the output
    /// limit of Claude Opus 4 and 4.1, the least of Anthropic's thinking
    /// models', which refuse more. No model's own output limit is known
    /// where a client's request is decoded (before its route, and a route's
    /// `max_tokens` only lowers a cap, naming no model's limit), so the
    /// least is the one every model takes; a client that wants more thinking
    /// sets its cap, which is kept.
    static let unsetCapLimit = 32_000

    /// The largest thinking budget a client that set no cap keeps (27 904):
    /// with ``answerRoom`` after it, the cap stays within ``unsetCapLimit``.
    static let unsetCapBudgetLimit = unsetCapLimit - answerRoom

    /// `max_tokens` for a client that set no cap: its dialect's
    /// `defaultCap`, raised to leave ``answerRoom`` after a thinking
    /// `budget` (nil or 0 for none), to no more than ``unsetCapLimit``
    /// (the budget is fitted under it by
    /// ``budgetForUnsetCap(_:capName:pointer:diagnostics:)``). Never below
    /// the default: asking for thinking should not leave the answer less
    /// than asking for none.
    static func unsetCap(default defaultCap: Int, thinkingBudget budget: Int?) -> Int {
        max(defaultCap, answerRoom.addingSaturated(min(budget ?? 0, unsetCapBudgetLimit)))
    }

    /// A thinking `budget` a client asked for with no cap of its own, made
    /// no more than ``unsetCapBudgetLimit``, so that it and the answer fit
    /// the cap ``unsetCap(default:thinkingBudget:)`` makes (a budget of
    /// 30 000 made the cap 34 096, which Claude Opus 4 refuses); a note
    /// when lowered. Only a Gemini client's budget can be larger: the
    /// effort table's (``budget(forEffort:)``) are not.
    /// - Parameters:
    ///   - capName: the client's field for the cap it left unset.
    ///   - pointer: where the client asked for thinking; made only for a
    ///     diagnostic.
    static func budgetForUnsetCap(
        _ budget: Int, capName: String, pointer: @autoclosure () -> String,
        diagnostics: inout [ConversionDiagnostic]
    ) -> Int {
        guard budget > unsetCapBudgetLimit else { return budget }
        diagnostics.append(
            .info(
                pointer(),
                "thinking budget \(budget) made \(unsetCapBudgetLimit): with \(capName) unset, thinking and "
                    + "\(answerRoom) tokens of answer stay within \(unsetCapLimit), Claude Opus 4's output limit; "
                    + "set \(capName) for more"))
        return unsetCapBudgetLimit
    }

    /// An OpenAI client's reasoning in the pivot: thinking with `budget`,
    /// and the effort it asked for as `output_config.effort`, which an
    /// OpenAI upstream then gets as asked (from a budget fitted under a
    /// smaller cap, `high` came back `medium` or `low`). No budget (thinking
    /// off, none fits under the cap): neither, for every upstream: a Gemini
    /// upstream reads the effort as a budget of its own table, which would
    /// not fit under the cap either. An Anthropic upstream gets no effort
    /// (``AnthropicUpstreamFit``): not every model takes one.
    static func addThinking(budget: Int?, effort: String?, to body: inout JSONObject) {
        guard let budget else { return }
        body["thinking"] = ["type": "enabled", "budget_tokens": .int(Int64(budget))]
        if let effort { body["output_config"] = ["effort": .string(effort)] }
    }

    static func effort(forBudget budget: Int) -> String {
        if budget <= lowBudgetLimit { return "low" }
        if budget <= mediumBudgetLimit { return "medium" }
        return "high"
    }
}
