import Wire

/// Translates one OpenAI Responses request into an Anthropic Messages
/// request, collecting a diagnostic for everything it drops on purpose.
///
/// Choices worth knowing:
/// - `instructions` and `system`/`developer` input messages become `system`,
///   joined by blank lines in their order;
/// - input items become messages; neighbouring items of one role share a
///   message, so a reasoning item, text and function calls form one
///   assistant turn, as Anthropic expects, and the outputs answering them
///   one user turn (tool results first);
/// - `previous_response_id` and `conversation` are refused: the proxy keeps
///   nothing, so the client must send the full input (with `store: false`);
/// - `reasoning.effort` becomes a thinking budget
///   (``ReasoningEffortMapping/budget(forEffort:)``);
/// - fields with no Anthropic equivalent are dropped with a diagnostic whose
///   path is a JSON pointer into the request.
struct OpenAIResponsesClientRequestDecoder {
    struct Message {
        var role: String
        var content: [JSONValue]
    }

    let request: JSONObject
    var diagnostics: [ConversionDiagnostic] = []
    var systemTexts: [String] = []
    var messages: [Message] = []

    /// Anthropic's default is required, not optional; 4 096 is what Responses
    /// clients that set no limit get (more when thinking needs room).
    static let defaultMaxTokens = 4_096

    static let translatedFields: Set<String> = [
        "model", "input", "instructions", "stream", "max_output_tokens", "tools", "tool_choice", "parallel_tool_calls",
        "temperature", "top_p", "reasoning", "user", "safety_identifier", "previous_response_id", "conversation",
        "text",
    ]

    /// Fields that are safe to ignore behind a stateless proxy: debug, not info.
    static let ignoredFields: [String: String] = [
        "store": "the proxy stores no responses; ignored",
        "include": "encrypted reasoning is returned whenever the upstream gives it; ignored",
        "metadata": "response metadata is not kept; dropped",
        "truncation": "no Anthropic equivalent; dropped",
        "service_tier": "no Anthropic equivalent; dropped",
        "prompt_cache_key": "no Anthropic equivalent; dropped",
        "prompt_cache_retention": "no Anthropic equivalent; dropped",
        "background": "the proxy answers in the foreground; ignored",
        "stream_options": "no Anthropic equivalent; dropped",
        "top_logprobs": "Anthropic returns no log probabilities; dropped",
        "max_tool_calls": "no Anthropic equivalent; dropped",
    ]

    init(request: JSONObject) {
        self.request = request
    }

    mutating func decode() throws(APIError) -> ConvertedRequest {
        guard let model = request["model"]?.stringValue, !model.isEmpty else {
            throw .invalidRequest("model: field required (the model name, a string)")
        }
        for key in ["previous_response_id", "conversation"] where !(request[key]?.isNull ?? true) {
            throw .invalidRequest(
                "\(key) is not supported: this proxy is stateless and keeps no earlier responses; "
                    + "send the full conversation in input instead (and set store: false)")
        }
        guard let input = request["input"], !input.isNull else {
            throw .invalidRequest("input: field required (a string or a list of input items)")
        }
        if let instructions = request["instructions"]?.stringValue, !instructions.isEmpty {
            systemTexts.append(instructions)
        }
        try convertInput(input)
        guard !messages.isEmpty else {
            throw .invalidRequest("input: must hold at least one user or assistant message")
        }

        let budget = thinkingBudget()
        // max_output_tokens counts reasoning too; unset, it leaves room for an answer after thinking.
        let maxTokens =
            request["max_output_tokens"]?.intValue
            ?? ReasoningEffortMapping.unsetCap(default: Self.defaultMaxTokens, thinkingBudget: budget)
        // As the Chat decoder: a cap below 1 is no request Anthropic takes, and fitting a budget under
        // Int.min trapped.
        guard maxTokens >= 1 else { throw .invalidRequest("max_output_tokens must be at least 1, got \(maxTokens)") }
        let thinking = budget.flatMap {
            ReasoningEffortMapping.fittedBudget(
                $0, below: maxTokens, capName: "max_output_tokens", pointer: "/reasoning/effort",
                diagnostics: &diagnostics)
        }

        var body: JSONObject = ["model": .string(model), "max_tokens": .int(Int64(maxTokens))]
        if !systemTexts.isEmpty { body["system"] = .string(systemTexts.joined(separator: "\n\n")) }
        body["messages"] = .array(messages.map { ["role": .string($0.role), "content": .array($0.content)] })
        addTools(to: &body)
        addSampling(to: &body)
        ReasoningEffortMapping.addThinking(
            budget: thinking, effort: request["reasoning"]?["effort"]?.stringValue, to: &body)
        addTextFormat(to: &body)
        if let user = request["user"]?.stringValue ?? request["safety_identifier"]?.stringValue {
            body["metadata"] = ["user_id": .string(user)]
        }
        if let stream = request["stream"]?.boolValue { body["stream"] = .bool(stream) }
        reportUntranslatedFields()
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }

    /// Temperature and top_p, as sent: what an Anthropic upstream refuses of
    /// them is fitted on the way out (``AnthropicUpstreamFit``).
    private mutating func addSampling(to body: inout JSONObject) {
        if let temperature = request["temperature"], temperature.doubleValue != nil {
            body["temperature"] = temperature
        }
        if let topP = request["top_p"], topP.doubleValue != nil { body["top_p"] = topP }
    }

    private mutating func reportUntranslatedFields() {
        for key in request.keys where !Self.translatedFields.contains(key) {
            let path = "/" + ConversionDiagnostic.pointerToken(key)
            if let reason = Self.ignoredFields[key] {
                diagnostics.append(.debug(path, reason))
            } else {
                diagnostics.append(.info(path, "unknown field, no Anthropic equivalent; dropped"))
            }
        }
    }

    /// `text.format` as the pivot's `output_config.format`; `text`'s other
    /// members (`verbosity`) have no Anthropic equivalent.
    private mutating func addTextFormat(to body: inout JSONObject) {
        guard let text = request["text"]?.objectValue else { return }
        StructuredOutput.add(
            StructuredOutput.pivotFormat(responsesTextFormat: text["format"], diagnostics: &diagnostics), to: &body)
        for member in text where member.key != "format" {
            diagnostics.append(
                .info("/text/\(ConversionDiagnostic.pointerToken(member.key))", "no Anthropic equivalent; dropped"))
        }
    }
}
