import Wire

/// Converts a client's Anthropic Messages request into the body the route's
/// upstream expects.
public enum RequestConverter {
    /// Checks the fields every conversion relies on and throws a 400
    /// `invalid_request_error` naming the first bad field (`model`,
    /// `messages.2.content`, `max_tokens`...), so a malformed request never
    /// reaches an upstream and never trips the converter.
    public static func validate(anthropicRequest: JSONValue) throws(APIError) {
        try AnthropicRequestValidator.validate(anthropicRequest)
    }

    /// Anthropic request -> the route's upstream dialect.
    ///
    /// For an anthropic upstream the body is the client's own, key order kept:
    /// only `model` is replaced, `max_tokens` capped, the route's
    /// `temperature` set and its `extra_body` merged. For an OpenAI Chat
    /// Completions upstream the request is translated (see
    /// ``OpenAIChatRequestBuilder``), for Gemini likewise (see
    /// ``GeminiRequestBuilder``; the model and streaming are in the URL, see
    /// ``UpstreamEndpoint``) and OpenAI Responses (see
    /// ``OpenAIResponsesRequestBuilder``). The request is validated first.
    public static func convert(anthropicRequest: JSONValue, route: RouteOptions) throws(APIError) -> ConvertedRequest {
        try validate(anthropicRequest: anthropicRequest)
        guard case .object(let request) = anthropicRequest else {
            throw .invalidRequest("the request body must be a JSON object")
        }
        switch route.upstreamDialect {
        case .anthropic:
            return anthropicPassthrough(request, route: route)
        case .openai:
            var builder = OpenAIChatRequestBuilder(request: request, route: route)
            return try builder.build()
        case .gemini:
            var builder = GeminiRequestBuilder(request: request, route: route)
            return try builder.build()
        case .openaiResponses:
            var builder = OpenAIResponsesRequestBuilder(request: request, route: route)
            return try builder.build()
        }
    }

    private static func anthropicPassthrough(_ request: JSONObject, route: RouteOptions) -> ConvertedRequest {
        passthrough(request, dialect: .anthropic, route: route)
    }

    /// A client's body for an upstream of its own dialect, key order kept:
    /// only the model (in the body, for all but Gemini, whose model is in
    /// the URL) replaced, the output cap applied (an Anthropic or Gemini
    /// thinking budget fitted under it: ``fitThinkingBudget(_:below:chosenForCap:dialect:diagnostics:)``),
    /// the route's `temperature` set and its `extra_body` merged.
    public static func passthrough(_ request: JSONObject, dialect: Dialect, route: RouteOptions) -> ConvertedRequest {
        var body = request
        var diagnostics: [ConversionDiagnostic] = []
        if dialect != .gemini { body["model"] = .string(route.upstreamModel) }
        if let cap = route.maxTokensCap {
            for path in Self.outputCapPaths(dialect) {
                guard let requested = body[path: path]?.intValue, requested > cap else { continue }
                body[path: path] = .int(Int64(cap))
                let pointer = "/" + path.joined(separator: "/")
                diagnostics.append(.info(pointer, "\(path.last ?? "") \(requested) capped to the route's \(cap)"))
                if dialect == .anthropic || dialect == .gemini {
                    fitThinkingBudget(
                        &body, below: cap, chosenForCap: false, dialect: dialect, diagnostics: &diagnostics)
                }
            }
        }
        if let temperature = route.temperature {
            if route.reasoningModel == true, !OpenAIReasoningModel.keepsSampling(body, route: route) {
                // It refuses any but 1, as the converted routes' builders know.
                diagnostics.append(
                    .warning(
                        "/temperature",
                        "the route's temperature \(temperature) is not sent: OpenAI reasoning model "
                            + "\(route.upstreamModel) takes only the default (1)"))
            } else {
                body[path: dialect == .gemini ? ["generationConfig", "temperature"] : ["temperature"]] = .double(
                    temperature)
            }
        }
        if route.reasoningEffort != nil {
            let message =
                dialect == .anthropic
                ? "the route's reasoning_effort has no Anthropic field and is not applied"
                : "the route's reasoning_effort is not applied to a request passed through unconverted"
            diagnostics.append(.info("/", message))
        }
        if let extraBody = route.extraBody {
            body.merge(extraBody)
        }
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }

    /// Anthropic's smallest thinking budget.
    static let minimumThinkingBudget = 1_024

    /// Anthropic refuses a thinking budget that is not below `max_tokens`;
    /// after the route lowered `max_tokens` (its cap, or what the context
    /// window leaves), the budget is lowered with it, leaving the answer its
    /// room, or thinking turned off when not even the smallest budget does
    /// (``ReasoningEffortMapping/fittedBudget(_:below:chosenForCap:least:)``): a
    /// budget just below the cap left the answer a token. Only a budget
    /// the cap leaves invalid, or (as the client chose it for a larger cap)
    /// short of room for the answer, is touched: a pass-through keeps the
    /// client's own otherwise.
    ///
    /// A Gemini client's `thinkingBudget` passed through is fitted under
    /// its lowered `maxOutputTokens` alike (Gemini counts the thoughts in
    /// it, and answered empty), by Gemini's least budget; when none fits,
    /// the client's budget is kept as it sent it (removed, it would be
    /// dynamic: free to fill the cap). `-1` (dynamic) and `0` (off) are left
    /// as they are.
    /// - Parameters:
    ///   - chosenForCap: `maxTokens` is the client's own cap, the one it
    ///     chose the budget for: only a budget not below it is fitted.
    ///   - dialect: the body's, Anthropic's or Gemini's.
    static func fitThinkingBudget(
        _ body: inout JSONObject, below maxTokens: Int, chosenForCap: Bool, dialect: Dialect = .anthropic,
        diagnostics: inout [ConversionDiagnostic]
    ) {
        let gemini = dialect == .gemini
        let path = gemini ? ["generationConfig", "thinkingConfig", "thinkingBudget"] : ["thinking", "budget_tokens"]
        guard let budget = body[path: path]?.intValue,
            ReasoningEffortMapping.needsFitting(budget, below: maxTokens, chosenForCap: chosenForCap)
        else { return }
        let capName = gemini ? "maxOutputTokens" : "max_tokens"
        guard
            let fitted = ReasoningEffortMapping.fittedBudget(
                budget, below: maxTokens, chosenForCap: chosenForCap,
                least: gemini ? GeminiRequestBuilder.leastBudget : minimumThinkingBudget)
        else {
            if gemini {
                // Removed, the budget would be dynamic thinking, free to fill
                // the whole cap; one under Gemini's least may be refused by
                // the model: the client's is kept, as it sent it.
                diagnostics.append(
                    .info(
                        "/" + path.joined(separator: "/"),
                        "thinkingBudget \(budget) kept: maxOutputTokens \(maxTokens) leaves no room for Gemini's "
                            + "least budget (\(GeminiRequestBuilder.leastBudget)) and an answer"))
                return
            }
            body[path: ["thinking"]] = nil
            diagnostics.append(
                .info(
                    "/thinking", "removed: \(capName) \(maxTokens) leaves no room for a thinking budget and an answer"))
            return
        }
        body[path: path] = .int(Int64(fitted))
        diagnostics.append(
            .info(
                "/" + path.joined(separator: "/"),
                "\(path[path.count - 1]) \(budget) lowered to \(fitted), leaving the answer \(maxTokens - fitted) of "
                    + capName))
    }

    /// Where each dialect's request caps its output tokens.
    private static func outputCapPaths(_ dialect: Dialect) -> [[String]] {
        switch dialect {
        case .anthropic: [["max_tokens"]]
        case .openai: [["max_tokens"], ["max_completion_tokens"]]
        case .openaiResponses: [["max_output_tokens"]]
        case .gemini: [["generationConfig", "maxOutputTokens"]]
        }
    }
}

extension JSONObject {
    /// The member at a path of keys; setting creates the objects on the way.
    subscript(path path: [String]) -> JSONValue? {
        get {
            guard let first = path.first else { return nil }
            guard path.count > 1 else { return self[first] }
            return self[first]?.objectValue?[path: Array(path.dropFirst())]
        }
        set {
            guard let first = path.first else { return }
            guard path.count > 1 else {
                self[first] = newValue
                return
            }
            var nested = self[first]?.objectValue ?? [:]
            nested[path: Array(path.dropFirst())] = newValue
            self[first] = .object(nested)
        }
    }
}

extension JSONObject {
    /// Merges a route's `extra_body` into an upstream body: nested objects
    /// merge key by key, any other value replaces, and `null` removes the key.
    /// Removal is how a config drops a field the converter always sends, such
    /// as `reasoning_effort` for a model that rejects it.
    mutating func merge(_ overrides: JSONObject) {
        for member in overrides {
            switch (self[member.key], member.value) {
            case (_, .null):
                removeValue(forKey: member.key)
            case (.object(var existing)?, .object(let nested)):
                existing.merge(nested)
                self[member.key] = .object(existing)
            default:
                self[member.key] = member.value
            }
        }
    }
}
